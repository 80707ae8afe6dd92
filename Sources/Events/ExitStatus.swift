/// The process exit codes of SPEC §2, named once.
package enum ExitStatus: Int32, Sendable {
    /// Success, or nothing to do.
    case success = 0
    /// A step failed and rollback completed; for `validate`, errors were found.
    case failed = 1
    /// Invalid input: usage, playbook, params, missing operator. Nothing was executed.
    case invalidInput = 2
    /// Declined or interrupted by the operator.
    case declined = 3
    /// A rollback action failed: manual intervention needed.
    case rollbackFailed = 4
}
