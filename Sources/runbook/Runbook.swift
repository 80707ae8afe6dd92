import ArgumentParser
import FoundationEssentials
import Glibc
import RunbookBasics
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
            ListCommand.self, ShowCommand.self, GraphCommand.self, NewCommand.self, ValidateCommand.self,
            DoctorCommand.self, TriageCommand.self, RunCommand.self, ResumeCommand.self,
            RehearseCommand.self,
            TestCommand.self, GameDayCommand.self, RollbackCommand.self, AuditCommand.self, ReportCommand.self,
        ])

    /// The one place an error becomes output and an exit status (SPEC §2 and §4).
    static func main() {
        do {
            // The common `run` and `validate` lines skip the parser's reflection; anything else,
            // and any line that does not validate, goes through the parser for its exact errors and help.
            if let quick = QuickRunParser.command(Array(CommandLine.arguments.dropFirst())),
                (try? quick.validate()) != nil
            {
                try quick.run()
                return
            }
            try checkSubcommand(Array(CommandLine.arguments.dropFirst()))
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Glibc.exit(exit.rawValue)
        } catch {
            Glibc.exit(report(error))
        }
    }

    /// A first word that names no command gets "did you mean" (the parser only says
    /// "unexpected arguments").
    static func checkSubcommand(_ arguments: [String]) throws {
        guard let word = arguments.first, !word.hasPrefix("-") else { return }
        let names = configuration.subcommands.map { $0._commandName } + ["help"]
        guard !names.contains(word) else { return }
        Console().report([
            .error(
                "unknown command '\(word)'", at: .file("runbook"),
                hint: Suggestion.hint(for: word, in: names) ?? "the commands are \(names.joined(separator: ", "))")
        ])
        if !Console().json {
            Console().err("Usage: runbook <subcommand>\n  See 'runbook --help' for more information.\n")
        }
        throw ExitCode(.invalidInput)
    }

    /// Usage errors keep the parser's message and usage line but exit 2, like any invalid input;
    /// help and `--version` exit 0; anything else is a diagnostic.
    static func report(_ error: Error) -> Int32 {
        let code = exitCode(for: error)
        if code == .success {
            print(fullMessage(for: error))
            return 0
        }
        if code == .validationFailure, Console().json {
            Console().report([
                .error(
                    message(for: error), at: .file("runbook"), hint: "see 'runbook help' for the commands and options")
            ])
            return ExitStatus.invalidInput.rawValue
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
