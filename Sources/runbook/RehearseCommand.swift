import ArgumentParser
import Foundation
import RunbookGraph
import RunbookPlaybook
import RunbookSession

struct RehearseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rehearse",
        abstract: "Rehearse a playbook on a scenario's scripted outcomes; nothing is executed.",
        discussion: "Exit status: 0 every expectation of the scenario held · 1 one did not · 2 invalid input.")

    @Argument(help: "A playbook id or file (default: the scenario's playbook).") var playbook: String?
    @Option(help: ArgumentHelp("The scenario to rehearse (*.scenario.yaml).", valueName: "FILE")) var scenario: String
    @OptionGroup var audit: AuditOptions

    func run() throws {
        let console = Console()
        let loaded = PlaybookDecoder.loadScenario(path: self.scenario)
        guard let scenario = loaded.scenario else {
            console.report(loaded.diagnostics)
            throw ExitCode(.invalidInput)
        }
        let graph = try loadGraph(playbook ?? playbookReference(scenario, file: self.scenario), console: console)
        let session = RehearsalSession(graph: graph, scenario: scenario, write: console.out, report: console.report)
        guard let result = session.start(auditDir: audit.directory, decoding: loaded.diagnostics) else {
            throw ExitCode(.invalidInput)
        }
        console.out(result.record.scorecard(scenario, misses: result.misses))
        if !result.passed { throw ExitCode(.failed) }
    }
}

/// Where a scenario's playbook is: `ID.yaml` beside the scenario, else the id, looked up like `run ID`.
func playbookReference(_ scenario: Scenario, file: String) -> String {
    let folder = (file as NSString).deletingLastPathComponent
    let beside = (folder.isEmpty ? "." : folder) + "/\(scenario.playbook.value).yaml"
    return FileManager.default.fileExists(atPath: beside) ? beside : scenario.playbook.value
}
