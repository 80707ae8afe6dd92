import RunbookExpression
import RunbookPlaybook
import RunbookProcess

/// What the engine reports as a run unfolds; the terminal, `--json` and the audit log all observe this one stream.
package enum EngineEvent: Sendable {
    case runStarted(RunStarted)
    case stepStarted(StepStarted)
    case stepFinished(StepFinished)
    case stepSkipped(StepSkipped)
    case confirmation(ConfirmationRecord)
    case choice(ChoiceRecord)
    case rollbackStarted(RollbackStarted)
    case rollbackFinished(StepFinished)
    case notice(String)
    case runFinished(RunFinished)
}

/// Receives engine events (terminal renderer, audit log, JSON collector).
package protocol EngineObserver: AnyObject {
    func handle(_ event: EngineEvent)
}

package struct RunStarted: Sendable {
    package var playbookID: String
    package var title: String
    package var file: String
    package var mode: RunMode
    /// Param values as text, secrets masked, null as nil.
    package var params: [String: String?]
    /// P1…P4, when the playbook says; recorded so a report does not depend on the file still existing.
    package var severity: String?
    /// The playbook's prevention items: a report's action items.
    package var prevention: [String]
    /// The interrupted run this one resumes or rolls back.
    package var prior: PriorRun?

    package init(
        playbookID: String,
        title: String,
        file: String,
        mode: RunMode,
        params: [String: String?],
        severity: String? = nil,
        prevention: [String],
        prior: PriorRun? = nil
    ) {
        self.prior = prior
        self.playbookID = playbookID
        self.title = title
        self.file = file
        self.mode = mode
        self.params = params
        self.severity = severity
        self.prevention = prevention
    }
}

/// A guard as evaluated: its text, whether it held, and the values of the names it read.
package struct GuardRecord: Sendable {
    package enum State: String, Sendable {
        case `true`, `false`
        /// It reads the result of a step that did not run (dry-run): both outcomes are possible.
        case undetermined
    }

    package var expression: String
    package var state: State
    /// `name → value` of every name the guard read, as text; secrets masked.
    package var values: [String: String]

    package init(
        expression: String,
        state: State,
        values: [String: String]
    ) {
        self.expression = expression
        self.state = state
        self.values = values
    }
}

package struct StepStarted: Sendable {
    package var id: String
    package var title: String?
    package var phase: Phase
    /// run, manual, wait, assert, choose, steps, include (or `rollback` for a rollback action).
    package var action: String
    /// The rendered command, instructions, wait, assertion or included playbook; secrets masked.
    package var display: String?
    /// The step's `env:` as it will reach the command: `NAME → value`, secrets masked, values
    /// not known yet as placeholders.
    package var environment: [String: String] = [:]
    package var readonly: Bool
    package var attempt: Int
    /// The most attempts `retry` allows; 0 when only `within` bounds them.
    package var attempts: Int
    /// `retry.within`, when the attempts have a deadline (`2m`).
    package var within: String? = nil
    /// A digest of the step's definition, so a scenario recorded from this run can tell when
    /// the step has changed since.
    package var definition: String? = nil
    package var guardRecord: GuardRecord?
    package var confirm: String?
    package var rollback: [String]
    /// Set when the step sits in a `choose` option that is one of several being planned.
    package var alternative: String?
    /// Nesting depth, for indented display.
    package var depth: Int
    /// One run of a step with `foreach`: the item it is for (secrets masked).
    package var item: String? = nil
    /// A step with `foreach`: every item it runs for, in order (secrets masked); with
    /// `maxFailures`, how many of them may fail before no further item starts.
    package var items: [String]? = nil
    package var maxFailures: Int? = nil
    /// For a `parallel:` fan-out, how many of its items run at once.
    package var parallel: Int? = nil
    /// The host the command runs on (a step with `on:`); nil on this machine.
    package var host: String? = nil

    package init(
        id: String,
        title: String? = nil,
        phase: Phase,
        action: String,
        display: String? = nil,
        readonly: Bool,
        attempt: Int,
        attempts: Int,
        guardRecord: GuardRecord? = nil,
        confirm: String? = nil,
        rollback: [String],
        alternative: String? = nil,
        depth: Int
    ) {
        self.id = id
        self.title = title
        self.phase = phase
        self.action = action
        self.display = display
        self.readonly = readonly
        self.attempt = attempt
        self.attempts = attempts
        self.guardRecord = guardRecord
        self.confirm = confirm
        self.rollback = rollback
        self.alternative = alternative
        self.depth = depth
    }
}

package struct StepFinished: Sendable {
    package var id: String
    package var status: StepStatus
    package var exitCode: Int32?
    package var durationMS: Int
    package var stdout: CapturedOutput?
    package var stderr: CapturedOutput?
    /// Output values as text, secrets masked.
    package var outputs: [String: String]
    /// The type of each output that is not a string (`number`, `bool`, `list`, …), so a resumed
    /// run reads it back as it was.
    package var outputTypes: [String: String] = [:]
    /// Set when the step was not run here: `runbook resume` took its result from the earlier run.
    package var resumed: ResumedStep?
    /// Why the step failed, when it did not fail by its exit code alone.
    package var message: String?
    /// With `detach: true`: processes of the step's group left running.
    package var leftoverPIDs: [Int32]
    package var attempts: Int
    /// The host the command ran on; nil on this machine.
    package var host: String? = nil
    /// True when ssh could not reach the host (exit 255): the command's own result is unknown.
    package var connectionFailed = false

    package init(
        id: String,
        status: StepStatus,
        exitCode: Int32? = nil,
        durationMS: Int,
        stdout: CapturedOutput? = nil,
        stderr: CapturedOutput? = nil,
        outputs: [String: String],
        message: String? = nil,
        leftoverPIDs: [Int32],
        attempts: Int
    ) {
        self.id = id
        self.status = status
        self.exitCode = exitCode
        self.durationMS = durationMS
        self.stdout = stdout
        self.stderr = stderr
        self.outputs = outputs
        self.message = message
        self.leftoverPIDs = leftoverPIDs
        self.attempts = attempts
    }
}

package struct StepSkipped: Sendable {
    package var id: String
    package var phase: Phase
    package var title: String?
    package var reason: String
    package var guardRecord: GuardRecord?
    package var depth: Int

    package init(
        id: String,
        phase: Phase,
        title: String? = nil,
        reason: String,
        guardRecord: GuardRecord? = nil,
        depth: Int
    ) {
        self.id = id
        self.phase = phase
        self.title = title
        self.reason = reason
        self.guardRecord = guardRecord
        self.depth = depth
    }
}

package struct ConfirmationRecord: Sendable {
    package var stepID: String
    package var phase: Phase
    package var prompt: String
    package var answer: ConfirmationOutcome
    package var approvedBy: String?
    /// What the operator typed, when it did not match the phrase.
    package var typed: String?

    package init(
        stepID: String, phase: Phase, prompt: String, answer: ConfirmationOutcome, approvedBy: String? = nil,
        typed: String? = nil
    ) {
        self.stepID = stepID
        self.phase = phase
        self.prompt = prompt
        self.answer = answer
        self.approvedBy = approvedBy
        self.typed = typed
    }
}

/// What became of a confirmation; raw values are the audit's `answer` strings.
package enum ConfirmationOutcome: String, Sendable, Hashable, CaseIterable {
    case yes
    case no
    /// A dry-run plans the question without asking it.
    case notAsked = "not asked"
    /// A signal arrived while the question waited.
    case interrupted
    /// The typed phrase did not match; the question is asked again (three tries in all).
    case mistyped
}

package struct ChoiceRecord: Sendable {
    package var stepID: String
    /// The option taken, or nil when every option is being planned.
    package var option: String?
    package var by: String
    package var available: [String]
    /// Options not offered because their `when` is false, with the guard that excluded them.
    package var unavailable: [String: String] = [:]

    /// The option a run without an operator or `--choose` takes.
    package var defaultOption: String? = nil

    package init(
        stepID: String,
        option: String? = nil,
        by: String,
        available: [String],
        unavailable: [String: String] = [:]
    ) {
        self.stepID = stepID
        self.option = option
        self.by = by
        self.available = available
        self.unavailable = unavailable
    }
}

package struct RollbackStarted: Sendable {
    package var id: String
    package var forStep: String
    package var display: String?

    package init(
        id: String,
        forStep: String,
        display: String? = nil
    ) {
        self.id = id
        self.forStep = forStep
        self.display = display
    }
}

package struct RunFinished: Sendable {
    package var outcome: RunOutcome
    package var exitStatus: ExitStatus
    package var failedStep: String?
    package var durationMS: Int
    /// The signal that interrupted the run (`SIGTERM`), if one did.
    package var signal: String?
    /// Completed steps with a rollback that was not run (interrupted without rolling back), oldest first.
    package var notRolledBack: [String] = []
    /// Mutating steps that completed and have no rollback action, oldest first: after a run that
    /// did not recover, what the operator must check and undo by hand.
    package var leftInPlace: [String] = []

    package init(
        outcome: RunOutcome,
        exitStatus: ExitStatus,
        failedStep: String? = nil,
        durationMS: Int,
        signal: String? = nil,
        notRolledBack: [String] = [],
        leftInPlace: [String] = []
    ) {
        self.outcome = outcome
        self.exitStatus = exitStatus
        self.failedStep = failedStep
        self.durationMS = durationMS
        self.signal = signal
        self.notRolledBack = notRolledBack
        self.leftInPlace = leftInPlace
    }
}

/// How a run ended (the rehearsal outcomes of SPEC §5, plus what only live runs can do).
package enum RunOutcome: String, Sendable, Hashable {
    case recovered
    /// Steps were only planned (not executed): nothing is known to be recovered.
    case planned
    case failed
    case rolledBack = "rolled_back"
    case declined
    case noSymptoms = "no_symptoms"
    /// `runbook triage`: a symptom probe found its symptom.
    case symptomsPresent = "symptoms_present"
    case interrupted
    /// A rollback action failed: manual intervention needed.
    case rollbackFailed = "rollback_failed"

    package var exitStatus: ExitStatus {
        switch self {
        case .recovered, .planned, .noSymptoms, .symptomsPresent: return .success
        case .failed, .rolledBack: return .failed
        case .declined, .interrupted: return .declined
        case .rollbackFailed: return .rollbackFailed
        }
    }
}

extension GuardRecord {
    /// The names the guard read and their values, as ` (a = 1, b = x)`; empty when it read none.
    package var valuesText: String { Self.text(of: values) }

    package static func text(of values: [String: String]) -> String {
        values.isEmpty
            ? ""
            : " (" + values.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: ", ") + ")"
    }
}

/// What a game day found (SPEC §5); `finished` is the run's end as recorded.
package struct GameDayResult: Sendable {

    package var refused = false
    package var injected = false
    /// Simulated or real milliseconds from the end of the injection to the first symptom seen.
    package var detectMS: Int?
    /// Milliseconds from detection to the end of verify.
    package var recoverMS: Int?
    /// The outcome of diagnosis, recovery and verify, when they ran.
    package var recovery: RunOutcome?
    package var reverted = false
    package var steadyAfter = false
    /// The stop condition that ended the game day early, if one did.
    package var stoppedBy: String?
    package var finished: RunFinished

    /// Detected, recovered, reverted and back to steady state.
    package var succeeded: Bool {
        !refused && stoppedBy == nil && detectMS != nil && recovery == .recovered && reverted && steadyAfter
    }

    package init(finished: RunFinished) {
        self.finished = finished
    }
}

/// A step whose result a resumed run took from the run it continues.
package struct ResumedStep: Sendable {
    package var run: String
    package var phase: Phase
    package var title: String?
    package var depth: Int

    package init(run: String, phase: Phase, title: String?, depth: Int) {
        self.run = run
        self.phase = phase
        self.title = title
        self.depth = depth
    }
}
