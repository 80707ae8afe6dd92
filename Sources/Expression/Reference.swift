/// A name that reads from the run: a param, an environment variable, a step's result or the step's own result.
package enum Reference: Sendable, Hashable {
    /// `params.NAME`
    case param(Expr.Name)
    /// `env.NAME`
    case env(Expr.Name)
    /// `steps.ID.FIELD` where FIELD is status, ok, exit_code, stdout, stderr or duration (checked later).
    case stepField(step: Expr.Name, field: Expr.Name)
    /// `steps.ID.outputs.NAME`
    case stepOutput(step: Expr.Name, output: Expr.Name)
    /// Bare `exit_code`, `stdout`, `stderr` or `duration`: the result of the step being checked.
    case own(Expr.Name)
    /// `outputs.NAME` in a step's own `expect` or `until`: an output of the same attempt.
    case ownOutput(Expr.Name)
    /// Bare `item` or `index` in a step with `foreach`: the item this run of the step is for, and its position.
    case loop(Expr.Name)

    /// The id of the step a `steps.ID.…` reference reads; nil for any other name.
    package var step: String? {
        switch self {
        case .stepField(let step, _), .stepOutput(let step, _): return step.text
        case .param, .env, .own, .ownOutput, .loop: return nil
        }
    }

    /// True for a bare `exit_code`, `stdout`…: the result of the step being checked.
    package var isOwn: Bool {
        switch self {
        case .own, .ownOutput: return true
        case .param, .env, .stepField, .stepOutput, .loop: return false
        }
    }

    /// The fields every step result has, in the order messages list them.
    package static let stepFields = [
        "status", "ok", "exit_code", "stdout", "stderr", "duration", "stdout_truncated", "stderr_truncated",
    ]
    /// The bare names that mean the current step's own result.
    package static let ownFields: Set<String> = [
        "exit_code", "stdout", "stderr", "duration", "stdout_truncated", "stderr_truncated",
    ]
    /// The bare names a step with `foreach` reads its item by.
    package static let loopNames: Set<String> = ["item", "index"]
}
