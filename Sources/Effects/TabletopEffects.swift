import FoundationEssentials
import RunbookBasics
import RunbookEngine
import RunbookProcess

/// A tabletop drill (`runbook rehearse` without a scenario, at a terminal): nothing is
/// executed; for each step the facilitator is asked what it returned, and the clock is virtual.
package final class TabletopEffects: Effects {
    private let ask: (String) -> String?
    private var clock = Date(timeIntervalSince1970: 1_800_000_000)
    private var ended = false

    /// `ask` puts a question to the facilitator; nil (end of input) ends the drill.
    package init(ask: @escaping (String) -> String?) {
        self.ask = ask
    }

    package var isInterrupted: Bool { ended }

    package func execute(_ command: CommandInvocation) -> Execution {
        let question =
            "\n  step \(command.stepID): \(command.display)\n"
            + "  exit code, then optionally output after a space (empty: 0): "
        guard let answer = ask(question) else {
            ended = true
            return .ran(ProcessOutcome(interrupted: true, stdout: CapturedOutput(whole: ""), stderr: .init(whole: "")))
        }
        let parts = answer.split(separator: " ", maxSplits: 1)
        let code = parts.first.flatMap { Int32($0) } ?? 0
        let stdout = parts.count > 1 ? String(parts[1]) + "\n" : ""
        return .ran(
            ProcessOutcome(
                exitCode: code, stdout: CapturedOutput(whole: stdout), stderr: CapturedOutput(whole: ""), duration: 0))
    }

    package func confirm(_ request: ConfirmationRequest) -> ConfirmationAnswer {
        let phrase = (request.phraseShown ?? request.phrase).map { " (type '\($0)')" } ?? " [y/N]"
        guard let answer = ask("\n  \(request.stepID): \(request.prompt)\(phrase) ") else {
            ended = true
            return .declined(by: "tabletop")
        }
        if let expected = request.phrase {
            return answer == expected ? .approved(by: "tabletop") : .mistyped(by: "tabletop", typed: answer)
        }
        return ["y", "yes"].contains(answer.lowercased()) ? .approved(by: "tabletop") : .declined(by: "tabletop")
    }

    package func choose(_ request: ChoiceRequest) -> ChoiceAnswer {
        let names = request.options.map(\.name)
        let question =
            "\n  \(request.title ?? request.stepID): choose \(names.joined(separator: ", "))"
            + (request.defaultOption.map { " (empty: \($0))" } ?? "") + ": "
        guard let answer = ask(question) else {
            ended = true
            return .undecided
        }
        if answer.isEmpty, let fallback = request.defaultOption { return .option(fallback, by: "tabletop") }
        return names.contains(answer) ? .option(answer, by: "tabletop") : .undecided
    }

    package func performManual(_ request: ManualRequest) -> ManualAnswer {
        guard let answer = ask("\n  manual step \(request.stepID): \(request.instructions)\n  done? [y/N] ") else {
            ended = true
            return .declined(by: "tabletop")
        }
        return ["y", "yes", "done"].contains(answer.lowercased()) ? .done(by: "tabletop") : .declined(by: "tabletop")
    }

    package func rollbackAfterInterrupt() -> Bool { false }

    package func sleep(_ duration: TimeSpan) -> Bool {
        clock += duration.seconds
        return true
    }

    package func now() -> Date { clock }
}
