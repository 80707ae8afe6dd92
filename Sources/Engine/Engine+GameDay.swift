import FoundationEssentials
import RunbookBasics
import RunbookDiagnostics
import RunbookEvents
import RunbookExpression
import RunbookGraph

/// Game days (SPEC §5): steady state, inject, detect, recover, always revert, steady state again.
extension Engine {
    /// Runs a game day. Symptoms are polled every `interval` for up to `detectWithin` after the
    /// injection; revert always runs once anything was injected, whatever happened after.
    package func gameDay(detectWithin: TimeSpan, interval: TimeSpan) -> GameDayResult {
        begin()
        holdFinish = true
        var scope = RunScope(params: params, environment: options.environment, prefix: "")
        var day = GameDayResult(finished: RunFinished(outcome: .failed, exitStatus: .failed, durationMS: 0))
        emit(.notice("game day: checking the steady state (no symptom may be present)"))
        if symptomPresent(&scope) {
            emit(.notice("a symptom is present before anything was injected: refusing to start the game day"))
            day.refused = true
            return close(day, outcome: .failed)
        }
        day.injected = true
        emit(.notice("game day: injecting the fault"))
        let watch = effects.watch(stopConditions(scope), every: graph.gameDayInterval ?? .seconds(5))
        let injection = runSteps(graph.gameDayInject, scope: &scope, depth: 0, alternative: nil)
        let injectedAt = effects.now()
        if injection == nil {
            day = detect(day, scope: &scope, since: injectedAt, within: detectWithin, interval: interval)
        } else {
            emit(.notice("the fault could not be injected"))
        }
        if let detectedAt = day.detectMS.map({ injectedAt.addingTimeInterval(Double($0) / 1000) }) {
            let recovery = runPhases(scope: &scope)
            day.recovery = recovery.outcome
            day.recoverMS = Int((effects.now().timeIntervalSince(detectedAt) * 1000).rounded())
        }
        watch?.stop()
        if let fired = watch?.fired {
            day.stoppedBy = fired
            emit(.notice("game day: stop condition '\(fired)' fired: nothing more runs, the fault is reverted now"))
        }
        emit(.notice("game day: reverting the fault"))
        day.reverted = revert(&scope)
        if day.reverted { emit(.notice("game day: checking the steady state again")) }
        day.steadyAfter = day.reverted && !symptomPresent(&scope)
        if !day.steadyAfter { emit(.notice("after the revert a symptom is still present: not back to steady state")) }
        // The injected fault and its revert are the exercise, not changes to clean up by hand.
        let exercise = Set((graph.gameDayInject + graph.gameDayRevert).map(\.id))
        leftInPlace.removeAll { exercise.contains($0) }
        // A fired stop condition is not the operator's interrupt: the game day failed.
        return close(day, outcome: day.stoppedBy == nil ? day.recovery ?? .failed : .failed)
    }

    /// Polls the symptoms until one is present or the window ends.
    private func detect(
        _ day: GameDayResult, scope: inout RunScope, since start: Date, within: TimeSpan, interval: TimeSpan
    )
        -> GameDayResult
    {
        var day = day
        emit(.notice("game day: waiting for a symptom (up to \(within))"))
        let end = start.addingTimeInterval(within.seconds)
        while !effects.isInterrupted {
            if symptomPresent(&scope) {
                day.detectMS = Int((effects.now().timeIntervalSince(start) * 1000).rounded())
                return day
            }
            guard effects.now().addingTimeInterval(interval.seconds) < end else { break }
            effects.sleep(interval)
        }
        emit(.notice("no symptom was detected within \(within) of the injection"))
        return day
    }

    /// The `stop_if` probes, rendered with the params, each judged by its `expect` (default
    /// `exit_code == 0`) as a step's would be.
    private func stopConditions(_ scope: RunScope) -> [StopCondition] {
        graph.gameDayStopIf.compactMap { node in
            guard case .run(let command) = node.step.action,
                let invocation = try? prepare(
                    command, step: node.step, id: node.id, readonly: true, timeout: node.timeout, attempt: 1,
                    scope: scope),
                let expect = try? expectation(of: node.step)
            else { return nil }
            let base = scope.expressions
            return StopCondition(id: node.id, command: invocation) { outcome in
                var own = base
                own.own = StepResult(
                    status: outcome.exitCode == 0 ? .ok : .failed, exitCode: outcome.exitCode.map(Int.init),
                    stdout: outcome.stdout.text, stderr: outcome.stderr.text, duration: outcome.duration)
                return (try? expect.evaluateCondition(in: own)) ?? false
            }
        }
    }

    /// The revert steps, run even after a failure, a declined step or an interrupt (when the
    /// effects allow: not after SIGTERM, SIGHUP or an audit trail that cannot be written).
    private func revert(_ scope: inout RunScope) -> Bool {
        if effects.isInterrupted, !effects.revertAfterInterrupt() {
            let steps = graph.gameDayRevert.map(\.id).joined(separator: ", ")
            emit(.notice("the game day was stopped before its revert: undo the fault by hand (\(steps))"))
            return false
        }
        return runSteps(graph.gameDayRevert, scope: &scope, depth: 0, alternative: nil) == nil
    }

    /// True when any symptom step succeeds now (it runs them again).
    private func symptomPresent(_ scope: inout RunScope) -> Bool {
        let symptoms = graph.phases.first { $0.phase == .symptoms }?.steps ?? []
        _ = runSteps(symptoms, scope: &scope, depth: 0, alternative: nil)
        return symptoms.flatMap { $0.flattened() }.contains {
            scope.expressions.steps[scope.localID($0.id)]?.status == .ok
        }
    }

    /// Reports the run's end: the recovery's outcome, but a failure exit unless the whole day succeeded.
    private func close(_ day: GameDayResult, outcome: RunOutcome) -> GameDayResult {
        var day = day
        holdFinish = false
        day.finished = finish(outcome == .recovered && !day.succeeded ? .failed : outcome, failedStep: nil)
        return day
    }
}
