/// The status of a step, as the audit records it and as `steps.ID.status` reads it; the raw
/// values are SPEC §1.3's strings, plus `planned` for dry-runs and `declined`.
package enum StepStatus: String, Sendable, Hashable {
    case ok, failed
    case timedOut = "timed_out"
    case skipped, pending
    /// Dry-run: the step would run here; nothing was executed.
    case planned
    /// The operator declined the step's confirmation or manual work.
    case declined

    /// What an expression reads: only SPEC §1.3's five. A declined step failed; a planned one
    /// has not run.
    package var seenByExpressions: StepStatus {
        switch self {
        case .declined: return .failed
        case .planned: return .pending
        default: return self
        }
    }
}
