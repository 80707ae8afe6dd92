import ArgumentParser
import RunbookGraph
import RunbookReport

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the playbooks in the search path with severity and title.")

    @Flag(help: "Print the list as JSON.") var json = false

    func run() throws {
        let rows = PlaybookSummary.rows(PlaybookCatalog(library: .standard()).entries())
        let console = Console()
        console.out(json ? JSONOutput.encode(rows) : PlaybookSummary.table(rows))
    }
}
