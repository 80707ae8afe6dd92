/// Whether a step's result can exist when an expression at some site is evaluated.
package enum StepVisibility: Sendable, Hashable {
    /// The step comes earlier on every path to the site (it has run, or was skipped).
    case before
    /// The step sits in another option of a `choose`, so it may not have run at the site.
    case otherBranch
    /// The step comes at or after the site: its result cannot exist yet.
    case notBefore
    /// The site is a rollback and the step comes after the rolled-back step: it may or may not
    /// have run by the time the rollback runs, so only whether it did (`status`, `ok`) is readable.
    case afterRolledBack
}
