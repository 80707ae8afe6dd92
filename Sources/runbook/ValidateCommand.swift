import ArgumentParser
import RunbookGraph
import RunbookReport

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check playbooks without running anything.",
        discussion: "Exit status: 0 when no errors were found (warnings don't fail), 1 when there are errors.")

    @Argument(help: "Playbook ids, files or folders (default: ./playbooks).") var targets: [String] = []
    @Flag(help: "Print the findings as JSON.") var json = false

    func run() throws {
        let console = Console()
        let results = PlaybookCatalog(library: .standard()).validate(targets.isEmpty ? ["playbooks"] : targets)
        if json {
            console.out(JSONOutput.encode(ValidationReport(files: results.map { ($0.file, $0.id, $0.diagnostics) })))
        } else {
            console.report(results.flatMap(\.diagnostics))
            console.err(ValidationSummary(results).line)
        }
        if results.contains(where: { $0.diagnostics.hasErrors }) { throw ExitCode(.failed) }
    }
}
