import RunbookEvents
import RunbookExpression
import RunbookGraph

/// Rollback: the compensation of every completed step, most recent first.
extension Engine {
    /// How rolling back the completed steps went.
    enum RollbackResult {
        /// Every action that ran succeeded; `ran` counts them (guards may have skipped some).
        case done(ran: Int)
        case someFailed
        /// Nothing more could start (the audit trail cannot be written): these steps were not rolled back.
        case stopped(notRolledBack: [String])
    }

    /// Runs every completed step's rollback actions, most recent first.
    func rollBackCompleted() -> RollbackResult {
        var allSucceeded = true
        var ran = 0
        for (index, entry) in completed.enumerated().reversed() {
            if effects.stopReason != nil {
                let remaining = completed[...index].map(\.step.id)
                completed.removeAll()
                return .stopped(notRolledBack: remaining)
            }
            var undone = false
            for action in entry.step.rollback {
                // Done by the run this one rolls back: it counts as undone and is not repeated.
                if alreadyRolledBack.contains(action.id) {
                    undone = true
                    continue
                }
                guard let succeeded = runRollback(action, of: entry.step, scope: entry.scope.latest()) else { continue }
                undone = true
                ran += 1
                if !succeeded { allSucceeded = false }
            }
            // Every rollback action's guard was false: the step's change stays.
            if !undone, !entry.step.readonly, Self.changesTheSystem(entry.step.step.action) {
                leftInPlace.insert(entry.step.id, at: 0)
            }
        }
        completed.removeAll()
        return allSucceeded ? .done(ran: ran) : .someFailed
    }

    /// One rollback action; a failure is recorded and the others still run (SPEC §2). Nil when
    /// its guard was false and it did not run.
    private func runRollback(_ action: RollbackAction, of step: GraphStep, scope: RunScope) -> Bool? {
        var scope = scope
        let display = describeAction(action.step, scope: scope)
        if let when = action.step.when {
            switch evaluateGuard(when, scope: scope) {
            case .success(let record) where record.state == .false:
                emit(
                    .stepSkipped(
                        StepSkipped(
                            id: action.id, phase: step.phase, title: nil,
                            reason: "guard is false: \(record.expression)",
                            guardRecord: record, depth: 0)))
                return nil
            case .failure(let error):
                // A guard that cannot be decided does not run the action on a guess: it is a failed
                // rollback action, so the run says what was not undone.
                emit(.rollbackStarted(RollbackStarted(id: action.id, forStep: step.id, display: display)))
                emit(
                    .rollbackFinished(
                        StepFinished(
                            id: action.id, status: .failed, exitCode: nil, durationMS: 0, stdout: nil, stderr: nil,
                            outputs: [:], message: "guard could not be evaluated: \(error.description)",
                            leftoverPIDs: [], attempts: 0)))
                return false
            case .success:
                break
            }
        }
        emit(
            .rollbackStarted(
                RollbackStarted(id: action.id, forStep: step.id, display: display)))
        var timeout = action.step.timeout?.value
        if case .run = action.step.action, timeout == nil { timeout = GraphCompiler.defaultRunTimeout }
        let (attempt, succeeded, count) = self.attempt(
            action.step, id: action.id, readonly: false, timeout: timeout, scope: scope, before: { _ in })
        let ok = !attempt.known || succeeded
        let status: StepStatus = !attempt.known ? .planned : (ok ? .ok : .failed)
        scope.record(action.id, attempt.result, known: attempt.known)
        var finished = StepFinished(
            id: action.id, status: status, exitCode: attempt.process?.exitCode,
            durationMS: Int(((attempt.process?.duration ?? 0) * 1000).rounded()),
            stdout: attempt.process?.stdout.masked(by: .forCapturedOutput(scope.secrets)),
            stderr: attempt.process?.stderr.masked(by: .forCapturedOutput(scope.secrets)), outputs: [:],
            message: attempt.message,
            leftoverPIDs: attempt.process?.leftoverPIDs ?? [],
            attempts: count)
        // A rollback action of a step that ran on a host runs on that host.
        finished.host = scope.target?.name
        finished.connectionFailed = attempt.connectionFailed
        emit(.rollbackFinished(finished))
        return ok
    }
}
