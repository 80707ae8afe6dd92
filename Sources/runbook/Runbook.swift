import ArgumentParser
import Foundation
import RunbookDiagnostics
import RunbookEvents

@main
struct Runbook: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runbook",
        abstract: "Run incident playbooks with guards, confirmations, dry-run, rollback and an audit trail.",
        discussion: """
            Playbooks are looked up by id in ./playbooks, then in each folder of $RUNBOOK_PATH \
            (colon-separated); a path to a file is used as it is.
            """,
        version: "0.1.0",
        subcommands: [
            ListCommand.self, ShowCommand.self, ValidateCommand.self, RunCommand.self, ResumeCommand.self,
            RehearseCommand.self,
            TestCommand.self, GameDayCommand.self, RollbackCommand.self, AuditCommand.self, ReportCommand.self,
        ])

    /// The one place an error becomes output and an exit status (SPEC §2 and §4).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            Foundation.exit(report(error))
        }
    }

    /// Usage errors keep the parser's message and usage line but exit 2, like any invalid input;
    /// help and `--version` exit 0; anything else is a diagnostic.
    static func report(_ error: Error) -> Int32 {
        let code = exitCode(for: error)
        if code == .success {
            print(fullMessage(for: error))
            return 0
        }
        if code == .validationFailure {
            // In the format of every other error (`runbook: error: …`), then the parser's usage lines.
            var text = fullMessage(for: error)
            if text.hasPrefix("Error: ") { text = "runbook: error: " + text.dropFirst("Error: ".count) }
            Console().err(text + "\n")
            return ExitStatus.invalidInput.rawValue
        }
        Console().report([.error(message(for: error), at: .file("runbook"))])
        return ExitStatus.invalidInput.rawValue
    }
}
