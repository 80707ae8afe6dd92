import RunbookEvents
import RunbookExpression
import RunbookGraph

/// Running one step: guard, confirmation, then its action, group, choice or include.
extension Engine {
    /// Runs steps in order; returns why the run must stop, or nil to go on.
    func runSteps(_ steps: [GraphStep], scope: inout RunScope, depth: Int, alternative: String?) -> Stop? {
        for step in steps {
            if let stop = runStep(step, scope: &scope, depth: depth, alternative: alternative) { return stop }
        }
        return nil
    }

    func runStep(_ node: GraphStep, scope: inout RunScope, depth: Int, alternative: String?) -> Stop? {
        if effects.isInterrupted { return .interrupted }
        var ranBefore = false
        if let history = options.resume {
            switch resumeStep(node, history: history, scope: &scope, depth: depth) {
            case .settled(let stop): return stop
            case .enter: ranBefore = true
            case .run: break
            }
        }
        var guardRecord: GuardRecord?
        // A container the earlier run entered passed its guard then; its steps are resumed inside.
        if let when = node.step.when, !ranBefore {
            switch evaluateGuard(when, scope: scope) {
            case .failure(let error):
                return fail(node, scope: &scope, message: error.diagnostic.description, attempts: 0)
            case .success(let record):
                guardRecord = record
                if record.state == .false {
                    skip(
                        node, scope: &scope, reason: "guard is false: \(record.expression)", record: record,
                        depth: depth)
                    return nil
                }
            }
        }
        // The items of a fan-out are known before anyone is asked: the question shows them all.
        var items = node.step.foreach.map { self.items(of: $0, scope: scope) }
        if let on = node.step.on { items = targets(of: on, scope: scope) }
        if ranBefore, let history = options.resume, let recorded = recordedItems(node, history: history, scope: scope) {
            items = recorded
        }
        if case .failed(let message)? = items { return fail(node, scope: &scope, message: message, attempts: 0) }
        var start = started(node, scope: scope, guardRecord: guardRecord, alternative: alternative, depth: depth)
        // `confirm: {each: true}` asks before each item instead (`runForEach`).
        let asksPerItem = items != nil && node.step.confirm?.each == true
        if !ranBefore, !asksPerItem {
            var display = start.display
            if case .known(let known, _)? = items {
                display =
                    (display.map { $0 + "\n" } ?? "")
                    + "for each of: \(known.map { shown($0, scope: scope) }.joined(separator: ", "))"
            }
            if let stop = confirmIfNeeded(node, display: display, environment: start.environment, scope: scope) {
                scope.record(node.id, StepResult(status: .skipped))
                return stop
            }
        }
        // What a live run may not reach is not probed: the reason holds for everything inside.
        let outer = scope.notProbed
        defer { scope.notProbed = outer }
        if guardRecord?.state == .undetermined {
            scope.notProbed = outer ?? "not probed: its guard cannot be decided before the steps it reads have run"
        } else if let alternative {
            scope.notProbed = outer ?? "not probed: it is in \(alternative), which a live run may not take"
        }
        switch (node.body, items) {
        case (.action, .known(let known, let hosts)?):
            return runForEach(node, items: known, hosts: hosts, start: start, scope: &scope, depth: depth)
        case (.action, .unknown(let reason)?):
            return planUnknownItems(node, start: start, reason: reason, scope: &scope)
        case (.action, _):
            return runAttempts(node, start: start, scope: &scope)
        case (.group(let children), _):
            emit(.stepStarted(start))
            let stop = runSteps(children, scope: &scope, depth: depth + 1, alternative: alternative)
            return finishContainer(node, stop: stop, scope: &scope)
        case (.choose(let options), _):
            start.display = nil
            emit(.stepStarted(start))
            let stop = runChoice(node, options: options, scope: &scope, depth: depth)
            return finishContainer(node, stop: stop, scope: &scope)
        case (.include(let included), _):
            emit(.stepStarted(start))
            switch bindInclude(node, included: included, scope: scope) {
            case .failure(let error):
                return fail(node, scope: &scope, message: error.message, attempts: 0)
            case .success(var inner):
                let stop = runInclude(included, scope: &inner, depth: depth)
                return finishContainer(node, stop: stop, scope: &scope)
            }
        }
    }

    /// What `step.start` records and the plan shows of a step about to run (its first attempt).
    func started(
        _ node: GraphStep, scope: RunScope, guardRecord: GuardRecord?, alternative: String?, depth: Int
    ) -> StepStarted {
        var start = StepStarted(
            id: node.id, title: render(node.step.title, scope: scope), phase: node.phase, action: node.step.action.key,
            display: describe(node, scope: scope), readonly: node.readonly, attempt: 1,
            attempts: node.step.retry.map { $0.attempts ?? 0 } ?? 1,
            guardRecord: guardRecord,
            confirm: node.step.confirm.map { confirm in
                (render(confirm.prompt, scope: scope) ?? "yes")
                    + (render(confirm.phrase, scope: scope).map { " (type '\($0)')" } ?? "")
            },
            rollback: describeRollback(node, scope: scope),
            alternative: alternative, depth: depth)
        start.environment = describeEnvironment(node.step, scope: scope)
        start.within = node.step.retry?.within?.description
        start.definition = node.step.definitionDigest
        return start
    }

    /// A group, choice or include ends with the state of what it contained. A failure inside it
    /// leaves it as the failed step's own policy says, unless the container sets `on_failure`
    /// itself: then the container's policy decides for everything inside (an include marked
    /// `continue` fails alone and the host goes on).
    private func finishContainer(_ node: GraphStep, stop: Stop?, scope: inout RunScope) -> Stop? {
        let status: StepStatus = stop == nil ? .ok : .failed
        scope.record(node.id, StepResult(status: status == .ok ? .ok : .failed))
        emit(
            .stepFinished(
                StepFinished(
                    id: node.id, status: status, exitCode: nil, durationMS: 0, stdout: nil, stderr: nil, outputs: [:],
                    message: nil, leftoverPIDs: [], attempts: 1)))
        if stop == nil, !node.rollback.isEmpty { completed.append(CompletedStep(step: node, scope: scope)) }
        if case .failure(let step, _) = stop, let own = node.step.onFailure?.value {
            return own == .continue ? nil : .failure(step: step, policy: own)
        }
        return stop
    }

    func skip(_ node: GraphStep, scope: inout RunScope, reason: String, record: GuardRecord?, depth: Int) {
        scope.record(node.id, StepResult(status: .skipped))
        for inner in node.flattened().dropFirst() { scope.record(inner.id, StepResult(status: .skipped)) }
        emit(
            .stepSkipped(
                StepSkipped(
                    id: node.id, phase: node.phase, title: render(node.step.title, scope: scope), reason: reason,
                    guardRecord: record,
                    depth: depth)))
    }

    /// Records a failure that happened outside any attempt (a guard error) and applies the policy.
    func fail(_ node: GraphStep, scope: inout RunScope, message: String, attempts: Int) -> Stop? {
        scope.record(node.id, StepResult(status: .failed))
        emit(
            .stepFinished(
                StepFinished(
                    id: node.id, status: .failed, exitCode: nil, durationMS: 0, stdout: nil, stderr: nil, outputs: [:],
                    message: message, leftoverPIDs: [], attempts: attempts)))
        return policy(for: node)
    }

    func policy(for node: GraphStep) -> Stop? {
        node.onFailure == .continue ? nil : .failure(step: node.id, policy: node.onFailure)
    }

    func confirmIfNeeded(
        _ node: GraphStep, display: String?, environment: [String: String], scope: RunScope
    ) -> Stop? {
        let isAction: Bool
        if case .action = node.body { isAction = true } else { isAction = false }
        let asked = node.step.confirm != nil || (options.stepMode && !node.readonly && isAction)
        guard asked else { return nil }
        let prompt = render(node.step.confirm?.prompt, scope: scope) ?? "Run step '\(node.id)'?"
        func record(_ answer: ConfirmationOutcome, by: String? = nil, typed: String? = nil) {
            emit(
                .confirmation(
                    ConfirmationRecord(
                        stepID: node.id, phase: node.phase, prompt: prompt, answer: answer, approvedBy: by, typed: typed
                    )))
        }
        guard !options.assumeYes else {
            record(.yes, by: "--yes")
            return nil
        }
        // The phrase is matched against its real text and shown masked: one made from a secret
        // asks the operator to type the secret, and a near-miss of it is never recorded.
        let phrase = node.step.confirm?.phrase.flatMap { try? renderStrict($0, mode: .plain, scope: scope) }
        let phraseIsSecret = phrase?.usesSecret ?? false
        var request = ConfirmationRequest(
            stepID: node.id, prompt: prompt, phrase: phrase?.real, command: display, environment: environment,
            readonly: node.readonly, rollback: describeRollback(node, scope: scope))
        request.phraseShown = phrase?.display
        while true {
            switch effects.confirm(request) {
            case .approved(let by):
                record(.yes, by: by)
                return nil
            case .notAsked:
                record(.notAsked)
                return nil
            case .mistyped(let by, let typed) where !effects.isInterrupted:
                // A slip of the keyboard is not a decision: ask again, and decline only after the last try.
                // What was typed for a phrase made from a secret is a near-miss of it: not recorded.
                record(.mistyped, by: by, typed: phraseIsSecret ? nil : typed)
                guard request.attempt < ConfirmationRequest.phraseAttempts else { return .declined(step: node.id) }
                request.attempt += 1
            case .declined(let by), .mistyped(let by, _):
                // A signal while the question waited is no answer: the run stops as interrupted.
                let interrupted = effects.isInterrupted
                record(interrupted ? .interrupted : .no, by: interrupted ? nil : by)
                return interrupted ? .interrupted : .declined(step: node.id)
            }
        }
    }

    /// A step's rollback actions as plans and prompts show them, each with its guard.
    func describeRollback(_ node: GraphStep, scope: RunScope) -> [String] {
        node.rollback.map { action in
            (describeAction(action.step, scope: scope) ?? action.id)
                + (action.step.when.map { " (only when \($0.value))" } ?? "")
        }
    }
}
