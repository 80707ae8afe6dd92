import ArgumentParser
import FoundationEssentials
import RunbookBasics
import RunbookEngine
import RunbookSession

struct GameDayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gameday", abstract: "Inject the playbook's fault, detect it, recover, and always revert.",
        discussion: """
            Live: the playbook's gameday.inject and gameday.revert steps run for real. Refuses when a symptom \\
            is present before the injection. Exit status: 0 detected, recovered, reverted and back to steady \\
            state · 1 any of those did not happen · 2 invalid input · 3 declined or interrupted.
            """)

    @Argument(help: "A playbook id or file with a gameday block.", completion: Completions.playbooks) var playbook:
        String
    @OptionGroup var params: ParamOptions
    @Flag(help: "Approve every confirmation (recorded as approved by --yes).") var yes = false
    @Option(help: ArgumentHelp("How long to wait for a symptom after the injection.", valueName: "DURATION"))
    var detectWithin = "60s"
    @Option(help: ArgumentHelp("How often to look for symptoms meanwhile.", valueName: "DURATION")) var interval = "2s"
    @OptionGroup var audit: AuditOptions
    @OptionGroup var targets: TargetOptions
    @Flag(help: "Print the scorecard as JSON (passed, detect_ms, recover_ms, recovery, reverted, steady_after, …).")
    var json = false

    func validate() throws {
        for (flag, text) in [("--detect-within", detectWithin), ("--interval", interval)]
        where TimeSpan(parsing: text) == nil {
            throw ValidationError("\(flag) takes a duration such as 30s or 2m, got '\(text)'")
        }
    }

    func run() throws {
        let console = Console()
        let graph = try loadGraph(playbook, console: console)
        guard !graph.gameDayInject.isEmpty else {
            console.report([
                .error(
                    "playbook '\(graph.id)' has no gameday block", at: .file(graph.playbook.file),
                    hint: "add gameday: {inject: [...], revert: [...]} (see docs/playbook-reference.md)")
            ])
            throw ExitCode(.invalidInput)
        }
        var options = RunOptions(mode: .gameday, assumeYes: yes, environment: ProcessEnvironment.current)
        try targets.apply(to: &options, for: graph, console: console)
        var session = RunSession(
            graph: graph, options: options, json: json, write: console.out, note: console.err, report: console.report)
        session.gameDay = (TimeSpan(parsing: detectWithin)!, TimeSpan(parsing: interval)!)
        session.statusLine = Console.statusLine()
        throw ExitCode(try session.start(params: params.inputs, probe: false, noWait: false, auditDir: audit.directory))
    }
}
