import Foundation

/// Everything the engine needs from the world: processes, the operator, the clock.
///
/// The engine makes every decision; an `Effects` value carries them out. A mode (live,
/// dry-run, probe, rehearsal) is an `Effects` value, never a flag inside the engine.
public protocol Effects: AnyObject {
    /// Runs one attempt of a command, or reports that this mode runs nothing.
    func execute(_ command: CommandInvocation) -> Execution
    /// Asks the operator to approve a step.
    func confirm(_ request: ConfirmationRequest) -> ConfirmationAnswer
    /// Asks which option of a `choose` step to take.
    func choose(_ request: ChoiceRequest) -> ChoiceAnswer
    /// Hands a `manual` step to the operator.
    func performManual(_ request: ManualRequest) -> ManualAnswer
    /// After an interrupt: should the completed steps be rolled back?
    func rollbackAfterInterrupt() -> Bool
    /// Lets time pass; false when this mode passes no time (dry-run), so a `wait` is only planned.
    @discardableResult
    func sleep(_ duration: TimeSpan) -> Bool
    func now() -> Date
    /// True once the operator pressed Ctrl-C (or the run was otherwise interrupted).
    var isInterrupted: Bool { get }
    /// The signal that interrupted the run (`SIGINT`, `SIGTERM`, `SIGHUP`), or nil.
    var interruptingSignal: String? { get }
    /// Why nothing more may start, not even a rollback action (the audit trail cannot be written), or nil.
    var stopReason: String? { get }
}

extension Effects {
    public var interruptingSignal: String? { nil }
    public var stopReason: String? { nil }
}

/// One attempt of a `run` step, rendered and ready to start.
public struct CommandInvocation: Sendable {
    public var stepID: String
    /// The argv to execute, with real values.
    public var argv: [String]
    /// The command as shown and audited (secrets masked).
    public var display: String
    public var environment: [String: String]
    public var workingDirectory: String?
    public var timeout: TimeSpan?
    public var detach: Bool
    public var readonly: Bool
    public var attempt: Int
    /// Secret values to mask in captured and streamed output.
    public var secrets: [String]
    /// Texts computed from secrets that the command or its environment received; also masked in `secrets`.
    public var secretTexts: [String] = []
    /// True when the command or its environment holds a secret value.
    public var usesSecret: Bool { !secretTexts.isEmpty }
}

/// What came of asking effects to run a command.
public enum Execution: Sendable {
    case ran(ProcessOutcome)
    /// This mode executes nothing (dry-run); the step's result is unknown.
    case notRun
}

/// A confirmation put to the operator: what will run, whether it changes anything, how to undo it.
public struct ConfirmationRequest: Sendable {
    public var stepID: String
    public var prompt: String
    /// The text the operator must type, when the step asks for a phrase.
    public var phrase: String?
    public var command: String?
    public var readonly: Bool
    public var rollback: [String]
}

public enum ConfirmationAnswer: Sendable, Equatable {
    case approved(by: String)
    case declined(by: String)
    /// This mode asks nothing (dry-run): the confirmation is listed, not answered.
    case notAsked
}

/// A `choose` step's available options (those whose `when` held).
public struct ChoiceRequest: Sendable {
    public struct Option: Sendable {
        public var name: String
        public var title: String?
    }

    public var stepID: String
    public var title: String?
    public var options: [Option]
    public var defaultOption: String?
}

public enum ChoiceAnswer: Sendable, Equatable {
    case option(String, by: String)
    /// Plan every option (dry-run): nothing runs, so all branches can be shown.
    case every
    /// No operator and no default: the run cannot decide.
    case undecided
}

/// A `manual` step handed to the operator.
public struct ManualRequest: Sendable {
    public var stepID: String
    public var title: String?
    public var instructions: String
}

public enum ManualAnswer: Sendable, Equatable {
    case done(by: String)
    case declined(by: String)
    case notAsked
}
