import RunbookBasics
import RunbookEvents
import RunbookExpression
import RunbookGraph

/// Runs that continue or undo an earlier, interrupted run (README: interrupted runs): the
/// earlier run's results are put back into the scopes its steps ran in, so rollback actions
/// render exactly as they would have in that run.
extension Engine {
    /// `runbook rollback RUN_ID`: runs the rollback actions of the earlier run's completed steps
    /// that it did not already roll back, most recent first. A step that started and never ended
    /// is offered to the operator, never assumed (with `--yes` it is left and listed).
    package func rollBack(_ history: RunHistory) -> RunFinished {
        begin(prior: PriorRun(purpose: .rollback, run: history.run))
        var scope = RunScope(params: params, environment: options.environment, prefix: "")
        var done: [(order: Int, entry: CompletedStep)] = []
        var open: [CompletedStep] = []
        restore(graph.phases.flatMap(\.steps), from: history, scope: &scope, done: &done, open: &open)
        completed = done.sorted { $0.order < $1.order }.map(\.entry)
        alreadyRolledBack = history.rolledBack
        var notRolledBack: [String] = []
        for entry in open {
            // Started after every step that ended, so it is the most recent: rolled back first.
            if offerIndeterminate(entry) { completed.append(entry) } else { notRolledBack.append(entry.step.id) }
        }
        let pending = completed.filter { entry in entry.step.rollback.contains { !alreadyRolledBack.contains($0.id) } }
        if pending.isEmpty {
            emit(.notice("nothing to roll back: run \(history.run) has no completed step with a rollback left to run"))
            return finish(
                notRolledBack.isEmpty ? .rolledBack : .rollbackFailed, failedStep: nil, notRolledBack: notRolledBack,
                exitStatus: notRolledBack.isEmpty ? .success : .rollbackFailed)
        }
        let names = pending.reversed().map { "'\($0.step.id)'" }.joined(separator: ", ")
        if options.mode == .dryRun {
            emit(.notice("a rollback would undo \(names)"))
        } else if let last = pending.last?.step,
            !ask(
                "Run the rollback actions of \(names), most recent first?", step: last, id: "rollback",
                actions: pending.reversed().flatMap { entry in
                    entry.step.rollback.filter { !alreadyRolledBack.contains($0.id) }.map {
                        describeAction($0.step, scope: entry.scope) ?? ""
                    }
                })
        {
            // The operator said no: nothing is undone, and the outcome says so.
            return finish(.declined, failedStep: nil)
        }
        switch rollBackCompleted() {
        case .done:
            if options.mode == .dryRun { return finish(.planned, failedStep: nil) }
            // Undone except what needs a person: the indeterminate steps the operator did not roll back.
            return finish(
                notRolledBack.isEmpty ? .rolledBack : .rollbackFailed, failedStep: nil, notRolledBack: notRolledBack,
                exitStatus: notRolledBack.isEmpty ? .success : .rollbackFailed)
        case .someFailed:
            return finish(.rollbackFailed, failedStep: nil, notRolledBack: notRolledBack)
        case .stopped(let remaining):
            return finish(.interrupted, failedStep: nil, notRolledBack: remaining + notRolledBack)
        }
    }

    /// Walks the graph as the earlier run did, recording each ended step's result in its scope
    /// (includes get their own, bound as they were), and collecting the completed steps with
    /// rollback actions (`done`, with the order they ended in) and the indeterminate ones (`open`).
    func restore(
        _ steps: [GraphStep], from history: RunHistory, scope: inout RunScope,
        done: inout [(order: Int, entry: CompletedStep)], open: inout [CompletedStep]
    ) {
        for node in steps {
            switch node.body {
            case .action:
                break
            case .group(let children):
                restore(children, from: history, scope: &scope, done: &done, open: &open)
            case .choose(let options):
                for option in options { restore(option.steps, from: history, scope: &scope, done: &done, open: &open) }
            case .include(let included):
                if case .success(var inner) = bindInclude(node, included: included, scope: scope) {
                    restore(
                        included.graph.phases.flatMap(\.steps), from: history, scope: &inner, done: &done, open: &open)
                }
            }
            if node.step.isFanOut {
                // The items carry the rollback, not the fan-out as a whole.
                switch recordedItems(node, history: history, scope: scope) {
                case .known(let items, let hosts)?:
                    restoreItems(node, items, hosts: hosts, from: history, scope: &scope, done: &done, open: &open)
                case .failed(let why)?:
                    emit(.notice("'\(node.id)' cannot be rolled back: \(why)"))
                case .unknown?, nil:
                    break
                }
                if let ended = history.ended[node.id] { scope.record(node.id, ended.result) }
                continue
            }
            if let ended = history.ended[node.id] {
                scope.record(node.id, ended.result)
                if ended.status == .ok, !node.rollback.isEmpty {
                    done.append((ended.order, CompletedStep(step: node, scope: scope)))
                }
            } else if history.skipped.contains(node.id) {
                scope.record(node.id, StepResult(status: .skipped))
            } else if history.indeterminate.contains(node.id), case .action = node.body, !node.rollback.isEmpty {
                open.append(CompletedStep(step: node, scope: scope))
            }
        }
    }

    /// The items of a fan-out as the earlier run left them: each completed item is a completed
    /// step with its own item in scope, each one that never ended is offered like any such step.
    private func restoreItems(
        _ node: GraphStep, _ items: [ExpressionScope.LoopItem], hosts: [RemoteHost]?, from history: RunHistory,
        scope: inout RunScope,
        done: inout [(order: Int, entry: CompletedStep)], open: inout [CompletedStep]
    ) {
        guard !node.rollback.isEmpty else { return }
        for item in items {
            let itemNode = node.item(item.index)
            var itemScope = scope
            itemScope.enter(item, hosts: hosts)
            if let ended = history.ended[itemNode.id], ended.status == .ok {
                done.append((ended.order, CompletedStep(step: itemNode, scope: itemScope)))
            } else if history.indeterminate.contains(itemNode.id) {
                open.append(CompletedStep(step: itemNode, scope: itemScope))
            }
        }
    }

    /// Asks whether to roll back a step that started and never ended; `--yes` does not answer it.
    private func offerIndeterminate(_ entry: CompletedStep) -> Bool {
        let node = entry.step
        let question =
            "Step '\(node.id)' started and never ended: whether it changed anything is unknown. Run its rollback?"
        guard !options.assumeYes, options.mode != .dryRun else {
            emit(
                .notice(
                    "'\(node.id)' started and never ended: its rollback is not run without an operator's answer"
                        + (options.mode == .dryRun ? " (a rollback at a terminal asks)" : "")))
            return false
        }
        return ask(
            question, step: node, id: node.id,
            actions: node.rollback.map { describeAction($0.step, scope: entry.scope) ?? "" })
    }

    /// Asks the operator and records the answer, as a step's confirmation is.
    private func ask(_ prompt: String, step node: GraphStep, id: String, actions: [String]) -> Bool {
        let answer =
            options.assumeYes
            ? .approved(by: "--yes")
            : effects.confirm(ConfirmationRequest(stepID: id, prompt: prompt, readonly: false, rollback: actions))
        let outcome: ConfirmationOutcome
        var by: String?
        switch answer {
        case .approved(let who):
            (outcome, by) = (.yes, who)
        case .declined(let who), .mistyped(let who, _):
            (outcome, by) = (effects.isInterrupted ? .interrupted : .no, who)
        case .notAsked:
            outcome = .notAsked
        }
        emit(
            .confirmation(
                ConfirmationRecord(stepID: id, phase: node.phase, prompt: prompt, answer: outcome, approvedBy: by)))
        return outcome == .yes
    }
}
