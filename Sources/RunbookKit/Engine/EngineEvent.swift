/// What the engine reports as a run unfolds; the terminal, `--json` and the audit log all observe this one stream.
public enum EngineEvent: Sendable {
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
public protocol EngineObserver: AnyObject {
    func handle(_ event: EngineEvent)
}

public struct RunStarted: Sendable {
    public var playbookID: String
    public var title: String
    public var file: String
    public var mode: RunMode
    /// Param values as text, secrets masked, null as nil.
    public var params: [String: String?]
    /// P1…P4, when the playbook says; recorded so a report does not depend on the file still existing.
    public var severity: String?
    /// The playbook's prevention items: a report's action items.
    public var prevention: [String]
}

/// A guard as evaluated: its text, whether it held, and the values of the names it read.
public struct GuardRecord: Sendable {
    public enum State: String, Sendable {
        case `true`, `false`
        /// It reads the result of a step that did not run (dry-run): both outcomes are possible.
        case undetermined
    }

    public var expression: String
    public var state: State
    /// `name → value` of every name the guard read, as text; secrets masked.
    public var values: [String: String]
}

public struct StepStarted: Sendable {
    public var id: String
    public var title: String?
    public var phase: Phase
    /// run, manual, wait, assert, choose, steps, include (or `rollback` for a rollback action).
    public var action: String
    /// The rendered command, instructions, wait, assertion or included playbook; secrets masked.
    public var display: String?
    public var readonly: Bool
    public var attempt: Int
    public var attempts: Int
    public var guardRecord: GuardRecord?
    public var confirm: String?
    public var rollback: [String]
    /// Set when the step sits in a `choose` option that is one of several being planned.
    public var alternative: String?
    /// Nesting depth, for indented display.
    public var depth: Int
}

/// The status of a step as recorded (SPEC §1.3 plus `planned` for dry-runs and `declined`).
public enum StepStatus: String, Sendable, Hashable {
    case ok, failed
    case timedOut = "timed_out"
    case skipped, pending
    /// Dry-run: the step would run here; nothing was executed.
    case planned
    /// The operator declined the step's confirmation or manual work.
    case declined
}

public struct StepFinished: Sendable {
    public var id: String
    public var status: StepStatus
    public var exitCode: Int32?
    public var durationMS: Int
    public var stdout: CapturedOutput?
    public var stderr: CapturedOutput?
    /// Output values as text, secrets masked.
    public var outputs: [String: String]
    /// Why the step failed, when it did not fail by its exit code alone.
    public var message: String?
    /// With `detach: true`: processes of the step's group left running.
    public var leftoverPIDs: [Int32]
    public var attempts: Int
}

public struct StepSkipped: Sendable {
    public var id: String
    public var phase: Phase
    public var title: String?
    public var reason: String
    public var guardRecord: GuardRecord?
    public var depth: Int
}

public struct ConfirmationRecord: Sendable {
    public var stepID: String
    public var prompt: String
    public var answer: ConfirmationOutcome
    public var approvedBy: String?
}

/// What became of a confirmation; raw values are the audit's `answer` strings.
public enum ConfirmationOutcome: String, Sendable, Hashable, CaseIterable {
    case yes
    case no
    /// A dry-run plans the question without asking it.
    case notAsked = "not asked"
    /// A signal arrived while the question waited.
    case interrupted
}

public struct ChoiceRecord: Sendable {
    public var stepID: String
    /// The option taken, or nil when every option is being planned.
    public var option: String?
    public var by: String
    public var available: [String]
    /// Options not offered because their `when` is false, with the guard that excluded them.
    public var unavailable: [String: String] = [:]
}

public struct RollbackStarted: Sendable {
    public var id: String
    public var forStep: String
    public var display: String?
}

public struct RunFinished: Sendable {
    public var outcome: RunOutcome
    public var exitStatus: ExitStatus
    public var failedStep: String?
    public var durationMS: Int
    /// The signal that interrupted the run (`SIGTERM`), if one did.
    public var signal: String?
    /// Completed steps with a rollback that was not run (interrupted without rolling back), oldest first.
    public var notRolledBack: [String] = []
}

/// How a run ended (the rehearsal outcomes of SPEC §5, plus what only live runs can do).
public enum RunOutcome: String, Sendable, Hashable {
    case recovered
    /// Steps were only planned (not executed): nothing is known to be recovered.
    case planned
    case failed
    case rolledBack = "rolled_back"
    case declined
    case noSymptoms = "no_symptoms"
    case interrupted
    /// A rollback action failed: manual intervention needed.
    case rollbackFailed = "rollback_failed"

    public var exitStatus: ExitStatus {
        switch self {
        case .recovered, .planned, .noSymptoms: return .success
        case .failed, .rolledBack: return .failed
        case .declined, .interrupted: return .declined
        case .rollbackFailed: return .rollbackFailed
        }
    }
}

extension GuardRecord {
    /// The names the guard read and their values, as ` (a = 1, b = x)`; empty when it read none.
    public var valuesText: String { Self.text(of: values) }

    public static func text(of values: [String: String]) -> String {
        values.isEmpty
            ? ""
            : " (" + values.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: ", ") + ")"
    }
}
