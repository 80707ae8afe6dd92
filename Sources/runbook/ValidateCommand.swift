import ArgumentParser
import RunbookBasics
import RunbookGraph
import RunbookPlaybook
import RunbookReport

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check playbooks without running anything.",
        discussion: "Exit status: 0 when no errors were found (warnings don't fail), 1 when there are errors.")

    @Argument(help: "Playbook ids, files or folders (default: ./playbooks).") var targets: [String] = []
    @Option(
        help: ArgumentHelp(
            "A Prometheus rule file: warn at each alert no playbook declares and each runbook_url naming no playbook.",
            valueName: "FILE"), completion: .file(extensions: ["yaml", "yml"]))
    var alertRules: [String] = []
    @Flag(help: "Print the findings as JSON.") var json = false

    /// The line as plain values (`QuickRunParser` reads the common lines into one directly).
    var request: ValidateRequest { ValidateRequest(targets: targets, alertRules: alertRules, json: json) }

    func run() throws { try request.run() }
}

/// What a `validate` line asks for, as plain values (see `RunRequest`).
struct ValidateRequest: Equatable, QuickCommand {
    var targets: [String] = []
    var alertRules: [String] = []
    var json = false

    func validate() throws {}

    func run() throws {
        // The process ends when the findings are printed (see `Heap`).
        Heap.released.leaveToExit()
        let console = Console()
        let results = PlaybookCatalog(library: .standard()).validate(targets.isEmpty ? ["playbooks"] : targets)
        // Alert rules are checked against the playbooks that decode (their `alerts:`).
        let playbooks =
            alertRules.isEmpty ? [] : results.compactMap { PlaybookDecoder.loadPartial(path: $0.file).playbook }
        let coverage = alertRules.map { ($0, AlertCoverage.check(rulesFiles: [$0], playbooks: playbooks)) }
        if json {
            let files = results.map { ($0.file, $0.id, $0.diagnostics) } + coverage.map { ($0.0, nil, $0.1) }
            console.out(JSONOutput.encode(ValidationReport(files: files)))
        } else {
            console.report(results.flatMap(\.diagnostics) + coverage.flatMap(\.1))
            console.err(ValidationSummary(results).line)
            for (file, findings) in coverage {
                console.err(
                    "\(file): \(findings.count) finding\(findings.count == 1 ? "" : "s") (alerts no playbook declares, runbook_url naming no playbook)\n"
                )
            }
        }
        if results.contains(where: { $0.diagnostics.hasErrors }) || coverage.contains(where: { $0.1.hasErrors }) {
            throw ExitCode(.failed)
        }
    }
}
