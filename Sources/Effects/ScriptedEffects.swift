import FoundationEssentials
import RunbookBasics
import RunbookEngine
import RunbookPlaybook
import RunbookProcess

/// Effects from a script: canned command results, operator answers and a virtual clock.
///
/// Used by engine tests and by rehearsals, so both exercise the exact decision code of a
/// live run without executing anything.
package final class ScriptedEffects: Effects {
    /// What one attempt of a step's command returns.
    package struct Outcome: Sendable {
        package var exitCode: Int32
        package var stdout: String
        package var stderr: String
        package var duration: Double
        package var timedOut: Bool

        package init(
            exitCode: Int32 = 0, stdout: String = "", stderr: String = "", duration: Double = 0, timedOut: Bool = false
        ) {
            self.exitCode = exitCode
            self.stdout = stdout
            self.stderr = stderr
            self.duration = duration
            self.timedOut = timedOut
        }
    }

    /// Per step id, the outcome of each attempt in turn (the last repeats); unscripted steps succeed.
    package var outcomes: [String: [Outcome]]
    /// Per step id, the confirmation or manual answer (default: approved / done).
    package var answers: [String: Bool]
    /// Per `choose` step id, the option picked (default: the step's default).
    package var choices: [String: String]
    /// Per step id with a typed phrase, what the operator types at each try in turn.
    package var typed: [String: [String]] = [:]
    private var typedSeen: [String: Int] = [:]
    package var rollbackOnInterrupt = true
    /// Interrupt the run just before this step would execute.
    package var interruptBefore: String?
    /// The argv of every command executed, in order, and every sleep.
    package private(set) var executed: [CommandInvocation] = []
    package private(set) var sleeps: [TimeSpan] = []
    /// Called as each command would start (tests check what is on disk at that moment).
    package var onExecute: ((CommandInvocation) -> Void)?
    private var clock: Date
    private var attemptsSeen: [String: Int] = [:]
    private var interrupted = false

    package init(
        outcomes: [String: [Outcome]] = [:], answers: [String: Bool] = [:], choices: [String: String] = [:],
        start: Date = Date(timeIntervalSince1970: 1_800_000_000)
    ) {
        self.outcomes = outcomes
        self.answers = answers
        self.choices = choices
        self.clock = start
    }

    package var isInterrupted: Bool { interrupted }

    /// With a scenario: the step ids it scripts. A step the run reaches that is not among them
    /// is noted in `unscripted` (it still succeeds, so the rehearsal can go on and say so).
    package var scripted: Set<String>?
    package private(set) var unscripted: [String] = []

    /// Who answers for a step the scenario does not script (a facilitator at a terminal);
    /// nil to note it in `unscripted` and let it succeed.
    package var unscriptedAnswers: Effects?

    private func note(_ stepID: String) {
        if let scripted, !scripted.contains(stepID), !unscripted.contains(stepID) { unscripted.append(stepID) }
    }

    /// The facilitator, when this step is not scripted and there is one to ask.
    private func facilitator(for stepID: String) -> Effects? {
        guard let unscriptedAnswers, let scripted, !scripted.contains(stepID) else { return nil }
        return unscriptedAnswers
    }

    package func execute(_ command: CommandInvocation) -> Execution {
        if let facilitator = facilitator(for: command.stepID) { return facilitator.execute(command) }
        onExecute?(command)
        note(command.stepID)
        if command.stepID == interruptBefore {
            interrupted = true
            return .ran(
                ProcessOutcome(interrupted: true, stdout: CapturedOutput(whole: ""), stderr: CapturedOutput(whole: "")))
        }
        executed.append(command)
        let n = attemptsSeen[command.stepID, default: 0]
        attemptsSeen[command.stepID] = n + 1
        let script = outcomes[command.stepID] ?? []
        var outcome = script.isEmpty ? Outcome() : script[min(n, script.count - 1)]
        // A scripted duration beyond the step's timeout makes it time out, as a live run would.
        if let timeout = command.timeout, outcome.duration > timeout.seconds {
            outcome.duration = timeout.seconds
            outcome.timedOut = true
        }
        clock += outcome.duration
        return .ran(
            ProcessOutcome(
                exitCode: outcome.timedOut ? nil : outcome.exitCode, signal: outcome.timedOut ? 15 : nil,
                timedOut: outcome.timedOut, stdout: CapturedOutput(whole: outcome.stdout),
                stderr: CapturedOutput(whole: outcome.stderr),
                duration: outcome.duration))
    }

    package func confirm(_ request: ConfirmationRequest) -> ConfirmationAnswer {
        if let facilitator = facilitator(for: request.stepID) { return facilitator.confirm(request) }
        note(request.stepID)
        if let phrase = request.phrase, let tries = typed[request.stepID], !tries.isEmpty {
            let n = typedSeen[request.stepID, default: 0]
            typedSeen[request.stepID] = n + 1
            let text = tries[min(n, tries.count - 1)]
            return text == phrase ? .approved(by: "scenario") : .mistyped(by: "scenario", typed: text)
        }
        return answers[request.stepID, default: true] ? .approved(by: "scenario") : .declined(by: "scenario")
    }

    package func choose(_ request: ChoiceRequest) -> ChoiceAnswer {
        if choices[request.stepID] == nil, let facilitator = facilitator(for: request.stepID) {
            return facilitator.choose(request)
        }
        if choices[request.stepID] == nil, request.defaultOption == nil { note(request.stepID) }
        if let name = choices[request.stepID] { return .option(name, by: "scenario") }
        return request.defaultOption.map { .option($0, by: "default") } ?? .undecided
    }

    package func performManual(_ request: ManualRequest) -> ManualAnswer {
        if let facilitator = facilitator(for: request.stepID) { return facilitator.performManual(request) }
        note(request.stepID)
        return answers[request.stepID, default: true] ? .done(by: "scenario") : .declined(by: "scenario")
    }

    package func rollbackAfterInterrupt() -> Bool { rollbackOnInterrupt }

    package func revertAfterInterrupt() -> Bool {
        interrupted = false
        return true
    }

    package func sleep(_ duration: TimeSpan) -> Bool {
        sleeps.append(duration)
        clock += duration.seconds
        return true
    }

    package func now() -> Date { clock }
}

extension ScriptedEffects {
    /// The effects a scenario scripts: command results, answers, typed phrases and options.
    package convenience init(scenario: Scenario) {
        var outcomes: [String: [Outcome]] = [:]
        var answers: [String: Bool] = [:]
        var typed: [String: [String]] = [:]
        var choices: [String: String] = [:]
        for (id, scripted) in scenario.steps {
            outcomes[id.value] = [
                Outcome(
                    exitCode: scripted.exitCode, stdout: scripted.stdout, stderr: scripted.stderr,
                    duration: scripted.duration.seconds)
            ]
            switch scripted.answer?.value {
            case .yes: answers[id.value] = true
            case .no: answers[id.value] = false
            case .typed(let text): typed[id.value] = [text]
            case nil: break
            }
            if let option = scripted.option { choices[id.value] = option.value }
        }
        self.init(outcomes: outcomes, answers: answers, choices: choices)
        self.typed = typed
        self.scripted = Set(scenario.steps.map(\.id.value))
    }
}
