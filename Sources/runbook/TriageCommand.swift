import ArgumentParser
import FoundationEssentials
import Glibc
import RunbookBasics
import RunbookGraph
import RunbookPlaybook
import RunbookReport
import RunbookSession

struct TriageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "triage",
        abstract: "Probe the symptoms of every playbook and rank those whose symptoms are present.",
        discussion: """
            Runs only the read-only symptom steps, in parallel, each playbook as an audited run in \
            mode triage, and prints the playbooks that match first with the evidence and the \
            command to start with. Exit status: 0 something matched · 1 nothing did · 2 invalid input.
            """)

    @Argument(help: "Playbook ids, files or folders (default: the search path).", completion: Completions.playbooks)
    var targets: [String] = []
    @OptionGroup var hosts: TargetOptions
    @Option(help: "Probe at most this many playbooks at once.") var jobs = 4
    @Option(help: ArgumentHelp("The longest any one probe may run.", valueName: "DURATION")) var timeout = "20s"
    @Option(
        help: ArgumentHelp(
            "An Alertmanager webhook payload (JSON; - reads standard input): the playbooks that declare its firing alerts come first, with params from the alert's labels.",
            valueName: "FILE"), completion: .file(extensions: ["json"]))
    var alert: String?
    @OptionGroup var audit: AuditOptions
    @Flag(help: "Print the ranking as JSON.") var json = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs takes a number of at least 1, got \(jobs)") }
        guard let span = TimeSpan(parsing: timeout), span.milliseconds > 0 else {
            throw ValidationError("--timeout takes a duration above zero such as 500ms, 20s or 1m, got '\(timeout)'")
        }
    }

    func run() throws {
        let console = Console()
        let library = PlaybookLibrary.standard()
        let folders = library.folders.filter { FileManager.default.fileExists(atPath: $0) }
        let checked = PlaybookCatalog(library: library).validate(targets.isEmpty ? folders : targets)
        // Everything checkable first: one invalid playbook and nothing is probed.
        guard !checked.contains(where: { $0.diagnostics.hasErrors }) else {
            console.report(checked.flatMap(\.diagnostics))
            throw ExitCode(.invalidInput)
        }
        let loader = PlaybookLoader(library: library)
        let graphs = checked.compactMap { loader.load(path: $0.file).graph }
        guard !graphs.isEmpty else {
            console.report([
                .error(
                    "no playbook to triage", at: .file(targets.first ?? "playbooks"),
                    hint: "run it where ./playbooks is, set RUNBOOK_PATH, or name playbooks")
            ])
            throw ExitCode(.invalidInput)
        }
        var session = TriageSession(graphs: graphs, jobs: jobs, timeout: TimeSpan(parsing: timeout)!)
        session.limit = hosts.hosts
        for graph in graphs {
            session.inventories[graph.playbook.file] = try TargetOptions.load(
                hosts.inventory, for: graph, console: console)
        }
        let problems = session.targetProblems()
        guard problems.isEmpty else {
            console.report(problems)
            throw ExitCode(.invalidInput)
        }
        if let alert {
            let source = alert == "-" ? "standard input" : alert
            guard
                let data = alert == "-"
                    ? StandardStreams.readAll(STDIN_FILENO)
                    : FileManager.default.contents(atPath: alert)
            else {
                console.report([.error("cannot read \(source)", at: .file(source))])
                throw ExitCode(.invalidInput)
            }
            switch AlertmanagerPayload.decode(data, file: source) {
            case .failure(let diagnostic):
                console.report([diagnostic])
                throw ExitCode(.invalidInput)
            case .success(let payload):
                let taken = session.take(payload)
                for name in taken.unclaimed {
                    console.report([
                        .warning(
                            "alert '\(name)' is firing and no playbook declares it", at: .file(source),
                            hint: "add 'alerts: [\(name)]' to the playbook that answers it (or: runbook new ID)")
                    ])
                }
                for note in taken.unused {
                    console.report([
                        .warning(note, at: .file(source), hint: "run triage again with a payload of that firing alone")
                    ])
                }
            }
        }
        let results = session.start(auditDir: audit.directory, environment: ProcessEnvironment.current)
        console.out(json ? JSONOutput.encode(results, snakeCase: true) : TriageText.render(results))
        if results.contains(where: { $0.verdict == .interrupted }) { throw ExitCode(.declined) }
        if !results.contains(where: { $0.verdict == .match }) { throw ExitCode(.failed) }
    }
}
