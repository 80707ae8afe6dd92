import RunbookEvents
import RunbookExpression
import RunbookGraph

/// `runbook resume RUN_ID`: the same engine, walking the playbook from the start, takes each
/// step the earlier run ended as done (its result, outputs and compensation come back) and
/// runs the rest (README: interrupted runs).
extension Engine {
    enum Resumed {
        /// The step is settled from the earlier run (nil: go on).
        case settled(Stop?)
        /// A container the earlier run entered: run its body, whose steps resume one by one.
        case enter
        /// Not reached by the earlier run, or to be run again: run it as usual.
        case run
    }

    /// The run to resume: the earlier run's start.
    package func resume() -> RunFinished {
        guard let history = options.resume else { return run() }
        begin(prior: PriorRun(purpose: .resume, run: history.run))
        var scope = RunScope(params: params, environment: options.environment, prefix: "")
        return runPhases(scope: &scope)
    }

    func resumeStep(_ node: GraphStep, history: RunHistory, scope: inout RunScope, depth: Int) -> Resumed {
        // A fan-out is entered like a container: its items resume one by one.
        guard case .action = node.body, node.step.foreach == nil, node.step.on == nil else {
            if history.skipped.contains(node.id) {
                skip(node, scope: &scope, reason: "skipped in run \(history.run)", record: nil, depth: depth)
                return .settled(nil)
            }
            return history.ended[node.id] != nil || history.indeterminate.contains(node.id) ? .enter : .run
        }
        if let ended = history.ended[node.id] {
            return .settled(replay(node, ended, from: history.run, scope: &scope, depth: depth))
        }
        if history.skipped.contains(node.id) {
            skip(node, scope: &scope, reason: "skipped in run \(history.run)", record: nil, depth: depth)
            return .settled(nil)
        }
        guard history.indeterminate.contains(node.id) else { return .run }
        let unknown = RunHistory.Ended(status: .ok, exitCode: nil, outputs: [:], order: 0)
        switch decide(node, history: history, scope: scope) {
        case .rerun?:
            emit(.notice("'\(node.id)' started in run \(history.run) and never ended: running it again"))
            return .run
        case .done?:
            return .settled(
                replay(
                    node, unknown, from: history.run, scope: &scope, depth: depth,
                    message: "marked done by the operator: it started and never ended; its outputs are unknown"))
        case .rollback?:
            // The operator takes the step as possibly applied: its rollback runs first.
            _ = replay(
                node, unknown, from: history.run, scope: &scope, depth: depth,
                message: "never ended; the operator chose to roll the run back")
            return .settled(.failure(step: node.id, policy: .rollback))
        case nil:
            return .settled(.declined(step: node.id))
        }
    }

    /// Takes an ended step's result from the earlier run: recorded, compensation remembered, not run.
    private func replay(
        _ node: GraphStep, _ ended: RunHistory.Ended, from run: String, scope: inout RunScope, depth: Int,
        message: String? = nil
    ) -> Stop? {
        scope.record(node.id, ended.result)
        var finished = StepFinished(
            id: node.id, status: ended.status, exitCode: ended.exitCode.map { Int32(truncatingIfNeeded: $0) },
            durationMS: 0, outputs: ended.outputs.mapValues(\.text), message: message, leftoverPIDs: [], attempts: 0)
        finished.outputTypes = ended.outputs.compactMapValues { $0.type == .string ? nil : $0.type.rawValue }
        finished.resumed = ResumedStep(
            run: run, phase: node.phase, title: render(node.step.title, scope: scope), depth: depth)
        emit(.stepFinished(finished))
        if node.phase == .verify, scope.prefix.isEmpty, ended.status == .failed || ended.status == .timedOut,
            node.onFailure == .continue
        {
            failedVerification = failedVerification ?? node.id
        }
        guard ended.status == .ok else { return nil }
        if !node.rollback.isEmpty {
            completed.append(CompletedStep(step: node, scope: scope))
        } else if !node.readonly, Self.changesTheSystem(node.step.action) {
            leftInPlace.append(node.id)
        }
        return nil
    }

    /// The operator's decision on a step that never ended: `--indeterminate`, else asked.
    private func decide(_ node: GraphStep, history: RunHistory, scope: RunScope) -> IndeterminateDecision? {
        if let decided = options.indeterminate {
            emit(
                .choice(
                    ChoiceRecord(
                        stepID: node.id, option: decided.rawValue, by: "--indeterminate",
                        available: IndeterminateDecision.allCases.map(\.rawValue), unavailable: [:])))
            return decided
        }
        let answer = effects.choose(
            ChoiceRequest(
                stepID: node.id,
                title: "'\(node.id)' started in run \(history.run) and never ended: what it changed is unknown",
                options: [
                    .init(name: IndeterminateDecision.rerun.rawValue, title: "run it again"),
                    .init(name: IndeterminateDecision.done.rawValue, title: "it completed: mark it done"),
                    .init(name: IndeterminateDecision.rollback.rawValue, title: "roll the run back"),
                ],
                defaultOption: nil))
        guard case .option(let name, let by) = answer, let decision = IndeterminateDecision(rawValue: name) else {
            return nil
        }
        emit(
            .choice(
                ChoiceRecord(
                    stepID: node.id, option: name, by: by,
                    available: IndeterminateDecision.allCases.map(\.rawValue), unavailable: [:])))
        return decision
    }
}
