import Foundation

/// Effects from a script: canned command results, operator answers and a virtual clock.
///
/// Used by engine tests and by rehearsals, so both exercise the exact decision code of a
/// live run without executing anything.
public final class ScriptedEffects: Effects {
    /// What one attempt of a step's command returns.
    public struct Outcome: Sendable {
        public var exitCode: Int32
        public var stdout: String
        public var stderr: String
        public var duration: Double
        public var timedOut: Bool

        public init(
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
    public var outcomes: [String: [Outcome]]
    /// Per step id, the confirmation or manual answer (default: approved / done).
    public var answers: [String: Bool]
    /// Per `choose` step id, the option picked (default: the step's default).
    public var choices: [String: String]
    public var rollbackOnInterrupt = true
    /// Interrupt the run just before this step would execute.
    public var interruptBefore: String?
    /// The argv of every command executed, in order, and every sleep.
    public private(set) var executed: [CommandInvocation] = []
    public private(set) var sleeps: [TimeSpan] = []
    private var clock: Date
    private var attemptsSeen: [String: Int] = [:]
    private var interrupted = false

    public init(
        outcomes: [String: [Outcome]] = [:], answers: [String: Bool] = [:], choices: [String: String] = [:],
        start: Date = Date(timeIntervalSince1970: 1_800_000_000)
    ) {
        self.outcomes = outcomes
        self.answers = answers
        self.choices = choices
        self.clock = start
    }

    public var isInterrupted: Bool { interrupted }

    public func execute(_ command: CommandInvocation) -> Execution {
        if command.stepID == interruptBefore {
            interrupted = true
            return .ran(
                ProcessOutcome(interrupted: true, stdout: CapturedOutput(whole: ""), stderr: CapturedOutput(whole: "")))
        }
        executed.append(command)
        let n = attemptsSeen[command.stepID, default: 0]
        attemptsSeen[command.stepID] = n + 1
        let script = outcomes[command.stepID] ?? []
        let outcome = script.isEmpty ? Outcome() : script[min(n, script.count - 1)]
        clock += outcome.duration
        return .ran(
            ProcessOutcome(
                exitCode: outcome.timedOut ? nil : outcome.exitCode, signal: outcome.timedOut ? 15 : nil,
                timedOut: outcome.timedOut, stdout: CapturedOutput(whole: outcome.stdout),
                stderr: CapturedOutput(whole: outcome.stderr),
                duration: outcome.duration))
    }

    public func confirm(_ request: ConfirmationRequest) -> ConfirmationAnswer {
        answers[request.stepID, default: true] ? .approved(by: "scenario") : .declined(by: "scenario")
    }

    public func choose(_ request: ChoiceRequest) -> ChoiceAnswer {
        if let name = choices[request.stepID] { return .option(name, by: "scenario") }
        return request.defaultOption.map { .option($0, by: "default") } ?? .undecided
    }

    public func performManual(_ request: ManualRequest) -> ManualAnswer {
        answers[request.stepID, default: true] ? .done(by: "scenario") : .declined(by: "scenario")
    }

    public func rollbackAfterInterrupt() -> Bool { rollbackOnInterrupt }

    public func sleep(_ duration: TimeSpan) -> Bool {
        sleeps.append(duration)
        clock += duration.seconds
        return true
    }

    public func now() -> Date { clock }
}
