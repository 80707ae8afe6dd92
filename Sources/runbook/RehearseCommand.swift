import ArgumentParser
import FoundationEssentials
import Glibc
import RunbookBasics
import RunbookGraph
import RunbookPlaybook
import RunbookReport
import RunbookSession

struct RehearseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rehearse",
        abstract: "Rehearse a playbook on a scenario's scripted outcomes; nothing is executed.",
        discussion: """
            Without --scenario, at a terminal, it is a tabletop drill: the facilitator is asked what each \
            step returned. Exit status: 0 every expectation of the scenario held (or the drill ended) · \
            1 one did not · 2 invalid input.
            """)

    @Argument(help: "A playbook id or file (default: the scenario's playbook).", completion: Completions.playbooks)
    var playbook: String?
    @Option(help: ArgumentHelp("The scenario to rehearse (*.scenario.yaml).", valueName: "FILE")) var scenario: String?
    @OptionGroup var params: ParamOptions
    @OptionGroup var audit: AuditOptions
    @OptionGroup var targets: TargetOptions
    @Flag(
        help:
            "With --scenario: print the result as JSON (passed, misses, path, skipped, decisions, rollbacks, outcome).")
    var json = false

    func validate() throws {
        if scenario == nil, playbook == nil { throw ValidationError("name a playbook, or a scenario with --scenario") }
    }

    func run() throws {
        let console = Console()
        guard let file = scenario else { return try tabletop(console: console) }
        let loaded = PlaybookDecoder.loadScenario(path: file)
        guard let scenario = loaded.scenario else {
            console.report(loaded.diagnostics)
            throw ExitCode(.invalidInput)
        }
        let graph = try loadGraph(playbook ?? playbookReference(scenario, file: file), console: console)
        var session = RehearsalSession(
            graph: graph, scenario: scenario, write: json ? nil : console.out, report: console.report)
        session.inventory = try targets.load(for: graph, console: console)
        session.limit = targets.hosts
        guard let result = session.start(auditDir: audit.directory, decoding: loaded.diagnostics) else {
            throw ExitCode(.invalidInput)
        }
        if json {
            let record = result.record
            console.out(
                JSONOutput.encode(
                    RehearsalJSON(
                        playbook: graph.id, scenario: file, passed: result.passed, misses: result.misses,
                        path: record.path, skipped: record.skipped, decisions: record.decisions,
                        rollbacks: record.rollbacks, outcome: record.finished?.outcome.rawValue,
                        diagnoseMS: record.diagnoseMS, recoverMS: record.recoverMS), snakeCase: true))
        } else {
            console.out(result.record.scorecard(scenario, misses: result.misses))
        }
        if !result.passed { throw ExitCode(.failed) }
    }

    private func tabletop(console: Console) throws {
        let graph = try loadGraph(playbook ?? "", console: console)
        guard
            let record = RehearsalSession.tabletop(
                graph: graph, params: params.inputs, ask: nil, write: console.out, report: console.report,
                auditDir: audit.directory, inventory: try targets.load(for: graph, console: console),
                limit: targets.hosts)
        else { throw ExitCode(.invalidInput) }
        console.out(record.scorecard(heading: "\(graph.id) — tabletop drill", expected: nil, misses: []))
    }
}

/// Where a scenario's playbook is: `ID.yaml` beside the scenario, else the id, looked up like `run ID`.
func playbookReference(_ scenario: Scenario, file: String) -> String {
    let folder = Path.directory(of: file)
    let beside = (folder.isEmpty ? "." : folder) + "/\(scenario.playbook.value).yaml"
    return FileManager.default.fileExists(atPath: beside) ? beside : scenario.playbook.value
}

/// `rehearse --scenario … --json`: the scorecard's facts.
private struct RehearsalJSON: Encodable {
    var playbook: String
    var scenario: String
    var passed: Bool
    var misses: [String]
    var path: [String]
    var skipped: [String]
    var decisions: [String]
    var rollbacks: [String]
    var outcome: String?
    var diagnoseMS: Int
    var recoverMS: Int
}
