import ArgumentParser
import RunbookAudit
import RunbookReport

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Write the post-incident report of a run from its audit records.",
        discussion: "Markdown follows the incident runbook's post-mortem template; JSON carries the same content.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case markdown, json
    }

    @Argument(help: "The run id (from 'runbook audit list' or the end of a run).") var runID: String
    @Option(help: "Output format.") var format: Format = .markdown
    @OptionGroup var audit: AuditOptions

    func run() throws {
        let console = Console()
        guard let report = IncidentReport(run: runID, records: AuditReader(directory: audit.directory).records()) else {
            console.report([.noRun(runID, in: audit.directory)])
            throw ExitCode(.invalidInput)
        }
        console.out(format == .json ? JSONOutput.encode(report, snakeCase: true) : report.markdown())
    }
}
