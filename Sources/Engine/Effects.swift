import FoundationEssentials
import RunbookBasics
import RunbookProcess

/// Everything the engine needs from the world: processes, the operator, the clock.
///
/// The engine makes every decision; an `Effects` value carries them out. A mode (live,
/// dry-run, probe, rehearsal) is an `Effects` value, never a flag inside the engine.
package protocol Effects: AnyObject {
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
    /// After an interrupt during a game day: may the revert steps still run? (They undo the
    /// injected fault, so a live run says yes after Ctrl-C.)
    func revertAfterInterrupt() -> Bool
    /// Starts checking game-day stop conditions every `interval` until the watch is stopped;
    /// when one fails, what is running is interrupted. Nil when this mode checks none.
    func watch(_ conditions: [StopCondition], every interval: TimeSpan) -> StopWatch?
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
    /// True when `execute` may be called from several threads at once (`parallel:` fan-outs);
    /// modes that plan or script steps take the items one at a time.
    var runsConcurrently: Bool { get }
}

extension Effects {
    package var runsConcurrently: Bool { false }
    package func revertAfterInterrupt() -> Bool { false }
    package func watch(_ conditions: [StopCondition], every interval: TimeSpan) -> StopWatch? { nil }
    package var interruptingSignal: String? { nil }
    package var stopReason: String? { nil }
}

/// One attempt of a `run` step, rendered and ready to start.
package struct CommandInvocation: Sendable {
    package var stepID: String
    /// The argv to execute, with real values.
    package var argv: [String]
    /// The command as shown and audited (secrets masked).
    package var display: String
    package var environment: [String: String]
    package var workingDirectory: String?
    package var timeout: TimeSpan?
    package var detach: Bool
    package var readonly: Bool
    package var attempt: Int
    /// Secret values to mask in captured and streamed output.
    package var secrets: [String]
    /// Texts computed from secrets that the command or its environment received; also masked in `secrets`.
    package var secretTexts: [String] = []
    /// True when the command or its environment holds a secret value.
    package var usesSecret: Bool { !secretTexts.isEmpty }
    /// In a dry-run: why running this read-only command now would mislead (it runs after a
    /// planned change, its guard is undetermined, a live run may not take its option); nil
    /// when `--probe` may run it.
    package var notProbed: String?
    /// Where the command runs: nil on this machine, else a host of the inventory.
    package var target: RemoteHost?
    /// Runs beside other items of a `parallel:` fan-out: never in the terminal's foreground.
    package var concurrent = false
    /// What the command reads from its environment beyond what it inherits: the step's `env:`
    /// and the values of its templates. A remote target exports these there.
    package var exports: [String: String] = [:]
}

/// What came of asking effects to run a command.
package enum Execution: Sendable {
    case ran(ProcessOutcome)
    /// This mode executes nothing (dry-run); the step's result is unknown. The reason, when
    /// there is more to say than "planned" (a read-only command not probed).
    case notRun(reason: String?)
}

/// A confirmation put to the operator: what will run, whether it changes anything, how to undo it.
package struct ConfirmationRequest: Sendable {
    package var stepID: String
    package var prompt: String
    /// The text the operator must type, when the step asks for a phrase.
    package var phrase: String?
    /// The phrase as shown (secrets masked).
    package var phraseShown: String?
    /// 1 for the first question; 2 and 3 after a mistyped phrase.
    package var attempt = 1
    /// How many times a phrase is asked for before the step counts as declined.
    package static let phraseAttempts = 3
    package var command: String?
    /// The step's `env:` as shown (secrets masked).
    package var environment: [String: String] = [:]
    package var readonly: Bool
    package var rollback: [String]
}

package enum ConfirmationAnswer: Sendable, Equatable {
    case approved(by: String)
    case declined(by: String)
    /// The operator typed something other than the phrase.
    case mistyped(by: String, typed: String)
    /// This mode asks nothing (dry-run): the confirmation is listed, not answered.
    case notAsked
}

/// A `choose` step's available options (those whose `when` held).
package struct ChoiceRequest: Sendable {
    package struct Option: Sendable {
        package var name: String
        package var title: String?
    }

    package var stepID: String
    package var title: String?
    package var options: [Option]
    package var defaultOption: String?
}

package enum ChoiceAnswer: Sendable, Equatable {
    case option(String, by: String)
    /// Plan every option (dry-run): nothing runs, so all branches can be shown.
    case every
    /// No operator and no default: the run cannot decide.
    case undecided
}

/// A `manual` step handed to the operator.
package struct ManualRequest: Sendable {
    package var stepID: String
    package var title: String?
    package var instructions: String
    /// What an answer other than "done" leads to, for the operator to read before answering.
    package var ifNotDone = "stops the run"
}

package enum ManualAnswer: Sendable, Equatable {
    case done(by: String)
    case declined(by: String)
    case notAsked
}

/// A game-day stop condition: a read-only probe and the engine's judgement of its result.
package struct StopCondition: Sendable {
    package var id: String
    package var command: CommandInvocation
    /// True while the probe's result says the system is safe to go on (its `expect` holds).
    package var holds: @Sendable (ProcessOutcome) -> Bool

    package init(id: String, command: CommandInvocation, holds: @escaping @Sendable (ProcessOutcome) -> Bool) {
        self.id = id
        self.command = command
        self.holds = holds
    }
}

/// Stop conditions being checked in the background.
package protocol StopWatch: AnyObject, Sendable {
    /// Stops checking (and waits for a check in progress).
    func stop()
    /// The condition that fired, if one did.
    var fired: String? { get }
}
