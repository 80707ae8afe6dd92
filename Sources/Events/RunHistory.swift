import RunbookExpression

/// What an earlier run of the same playbook did, as its audit records tell: the state
/// `runbook resume` continues from and `runbook rollback` undoes (README: interrupted runs).
package struct RunHistory: Sendable {
    /// A step that ended in that run.
    package struct Ended: Sendable, Equatable {
        package var status: StepStatus
        package var exitCode: Int?
        package var outputs: [String: Value]
        /// Position in the order steps ended (the record's `seq`).
        package var order: Int

        package init(status: StepStatus, exitCode: Int?, outputs: [String: Value], order: Int) {
            self.status = status
            self.exitCode = exitCode
            self.outputs = outputs
            self.order = order
        }

        /// The result later steps' expressions read, as they did in the earlier run.
        package var result: StepResult {
            StepResult(status: status.seenByExpressions, exitCode: exitCode, outputs: outputs)
        }
    }

    /// The run the history is of.
    package var run: String
    /// Steps that ended, by full step id.
    package var ended: [String: Ended]
    /// Steps skipped by their guard.
    package var skipped: Set<String>
    /// Steps that started and never ended, in the order they started.
    package var indeterminate: [String]
    /// Rollback actions that completed (`ID.rollback`, `ID.rollback.2`, …).
    package var rolledBack: Set<String>
    /// The option taken at each `choose` step.
    package var choices: [String: String]
    /// The items each step with `foreach` ran for, as recorded (secret ones as `***`).
    package var items: [String: [String]] = [:]

    package init(
        run: String, ended: [String: Ended], skipped: Set<String> = [], indeterminate: [String] = [],
        rolledBack: Set<String> = [], choices: [String: String] = [:]
    ) {
        self.run = run
        self.ended = ended
        self.skipped = skipped
        self.indeterminate = indeterminate
        self.rolledBack = rolledBack
        self.choices = choices
    }
}

/// What to do with a step that started in the earlier run and never ended: its effect is unknown.
package enum IndeterminateDecision: String, Sendable, CaseIterable {
    /// Run it again (it must be safe to repeat).
    case rerun
    /// Count it as done (the operator checked that it completed); its outputs are unknown.
    case done
    /// Stop here and roll the run back, this step's rollback first.
    case rollback
}

/// The earlier run a run continues or undoes; `run.start` names it.
package struct PriorRun: Sendable, Equatable {
    package enum Purpose: String, Sendable {
        case resume, rollback
    }

    package var purpose: Purpose
    package var run: String

    package init(purpose: Purpose, run: String) {
        self.purpose = purpose
        self.run = run
    }
}
