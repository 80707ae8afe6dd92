import ArgumentParser
import RunbookReport

extension PlaybookPicture.Format: ExpressibleByArgument {}

struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Draw a playbook's step graph (Mermaid or Graphviz DOT).",
        discussion: """
            Phases are clusters; guards label the edges into the steps they guard (with the \
            'else' edge that skips them); choose options are labelled branches; groups and \
            included playbooks are nested clusters; rollback actions hang off their steps on \
            dashed edges; confirmations are outlined in orange. Render DOT with \
            'runbook graph ID --format dot | dot -Tsvg > ID.svg'; paste Mermaid into a \
            ```mermaid block.
            """)

    @Argument(help: "A playbook id or file.", completion: Completions.playbooks) var playbook: String
    @Option(help: "mermaid or dot.") var format: PlaybookPicture.Format = .mermaid

    func run() throws {
        let console = Console()
        let graph = try loadGraph(playbook, console: console)
        console.out(PlaybookPicture(graph).render(format))
    }
}
