import ArgumentParser
import RunbookGraph
import RunbookReport

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a playbook: summary, params, steps of every phase, prevention, escalation."
    )

    @Argument(help: "A playbook id or file.", completion: Completions.playbooks) var playbook: String
    @Flag(help: "Print the description as JSON.") var json = false

    func run() throws {
        let console = Console()
        let graph = try loadGraph(playbook, console: console)
        let description = PlaybookDescription(graph)
        console.out(json ? JSONOutput.encode(description) : description.page())
    }
}

/// Loads `ID|FILE` to a checked graph, or prints why not and exits 2 (SPEC §2: invalid input).
func loadGraph(_ reference: String, console: Console) throws -> StepGraph {
    let loader = PlaybookLoader(library: .standard())
    switch loader.resolve(reference) {
    case .failure(let diagnostic):
        console.report([diagnostic])
        throw ExitCode(.invalidInput)
    case .success(let path):
        let loaded = loader.load(path: path)
        console.report(loaded.diagnostics)
        guard let graph = loaded.graph else { throw ExitCode(.invalidInput) }
        return graph
    }
}
