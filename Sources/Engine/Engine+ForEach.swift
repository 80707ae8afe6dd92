import Dispatch
import FoundationEssentials
import RunbookBasics
import RunbookDiagnostics
import RunbookEvents
import RunbookExpression
import RunbookGraph
import RunbookPlaybook

/// `foreach`: a step's action run once per item, each run with its own id (`ID[0]`, `ID[1]`, …),
/// records, retries, timeout and rollback (README: fan-out).
extension Engine {
    /// The items of a step with `foreach`, as far as they can be known now.
    enum Items {
        /// The items, and for a step with `on:` the host of each.
        case known([ExpressionScope.LoopItem], hosts: [RemoteHost]? = nil)
        /// A dry-run has not run a step the list reads: why.
        case unknown(String)
        case failed(String)
    }

    func items(of foreach: ForEach, scope: RunScope) -> Items {
        switch foreach {
        case .items(let items):
            return .known(
                items.enumerated().map { .init(value: .string($0.element.value), index: $0.offset, isSecret: false) })
        case .expression(let text):
            if let expression = try? Expression(parsing: text), dependsOnUnknown(expression, scope: scope) {
                let names = unknownNames(expression.root.references, scope: scope)
                return .unknown("foreach reads \(names), which this dry-run did not run")
            }
            do {
                let evaluated = try Expression(parsing: text).evaluateTracked(in: scope.expressions)
                guard case .list(let values) = evaluated.value else {
                    return .failed(
                        "foreach needs a list, but \(text.value) gave \(evaluated.value.type.withArticle)")
                }
                return .known(
                    values.enumerated().map {
                        .init(value: $0.element, index: $0.offset, isSecret: evaluated.isSecret)
                    })
            } catch {
                return .failed("foreach: \(error)")
            }
        }
    }

    /// The items an earlier run's fan-out ran for, as it recorded them: what a resume continues and
    /// a rollback undoes, even when the list came from output that is not recorded. An item
    /// recorded masked (it came from a secret) takes its value from the list as it is now, when
    /// that has as many items; nil when the earlier run did not reach the step.
    func recordedItems(_ node: GraphStep, history: RunHistory, scope: RunScope) -> Items? {
        guard let recorded = history.items[node.id], node.step.isFanOut else { return nil }
        var now: [ExpressionScope.LoopItem]?
        if let foreach = node.step.foreach, case .known(let known, _) = items(of: foreach, scope: scope),
            known.count == recorded.count
        {
            now = known
        }
        let items: [ExpressionScope.LoopItem] = recorded.enumerated().map { index, text in
            if text == SecretMasker.mask, let now { return now[index] }
            return .init(value: .string(text), index: index, isSecret: false)
        }
        guard node.step.on != nil else { return .known(items) }
        // The hosts of an earlier run are found again by name in this run's inventory.
        var hosts: [RemoteHost] = []
        for name in recorded {
            guard let host = options.inventory?.resolve(name)?.first else {
                return .failed("on: host '\(name)' of run \(history.run) is not in the inventory given now")
            }
            hosts.append(host)
        }
        return .known(items, hosts: hosts)
    }

    /// The hosts a step with `on:` runs on, narrowed by `--limit`, as items (`item` is the host's
    /// name). The names were checked before the run (`Preflight.targetProblems`); a template's are
    /// checked here.
    func targets(of selector: TargetSelector, scope: RunScope) -> Items {
        var names: [String]
        switch selector {
        case .names(let written): names = written.map(\.value)
        case .template(let text):
            if readsUnknown(text, scope: scope) {
                return .unknown("on: reads \(unknownNames(in: [text], scope: scope)), which this dry-run did not run")
            }
            do {
                let template = try Template(parsing: text, mode: .plain)
                let onlyExpression = template.parts.allSatisfy { part in
                    if case .text(let text) = part { return text.allSatisfy(\.isWhitespace) }
                    return true
                }
                if template.expressions.count == 1, onlyExpression,
                    case .list(let values) = try template.expressions[0].evaluateTracked(in: scope.expressions).value
                {
                    names = values.map(\.text)
                } else {
                    names = [try renderStrict(text, mode: .plain, scope: scope).real]
                }
            } catch {
                return .failed("on: \(error)")
            }
        }
        guard let inventory = options.inventory else {
            return .failed("on: \(names.joined(separator: ", ")) needs an inventory: pass --inventory FILE")
        }
        var hosts: [RemoteHost] = []
        for name in names {
            guard let resolved = inventory.resolve(name) else {
                return .failed(
                    "on: '\(name)' is not a host or group of \(inventory.file) (\(inventory.hint(for: name)))")
            }
            for host in resolved where !hosts.contains(host) { hosts.append(host) }
        }
        if let limit = options.limit {
            let allowed = Set(limit.flatMap { inventory.resolve($0) ?? [] }.map(\.name))
            hosts = hosts.filter { allowed.contains($0.name) }
        }
        return .known(
            hosts.enumerated().map { .init(value: .string($0.element.name), index: $0.offset, isSecret: false) },
            hosts: hosts)
    }

    /// An item as plans, prompts and records show it: its text, masked when it came from a secret.
    func shown(_ item: ExpressionScope.LoopItem, scope: RunScope) -> String {
        item.isSecret ? SecretMasker.mask : SecretMasker(secrets: scope.secrets).mask(item.value.text)
    }

    /// Runs the items in order, one at a time or up to `parallel` at once. An item that fails is
    /// counted as it ends; once more have failed than `max_failures` allows (default 0), no
    /// further item starts (those running finish), and the step fails with its own
    /// `on_failure`. Within the budget, failed items are reported and the step succeeds.
    func runForEach(
        _ node: GraphStep, items: [ExpressionScope.LoopItem], hosts: [RemoteHost]?, start: StepStarted,
        scope: inout RunScope, depth: Int
    ) -> Stop? {
        // A symptom fan-out probes every item: a probe that fails is the symptom absent there, not
        // a failure to budget for; the symptom is present when any item found it.
        let probesEveryItem = start.phase == .symptoms
        let budget = probesEveryItem ? items.count : node.step.maxFailures?.value.allowed(of: items.count) ?? 0
        var parent = start
        parent.items = items.map { shown($0, scope: scope) }
        parent.maxFailures = node.step.maxFailures == nil ? nil : budget
        parent.parallel = node.step.parallel.map(\.value)
        emit(.stepStarted(parent))
        let began = effects.now()
        let verificationBefore = failedVerification
        var ok = 0
        var planned = 0
        var notStarted = 0
        var declined = 0
        var stop: Stop?
        var outputs: [String: [Value]] = [:]
        // `parallel: N` runs up to N items at once where the effects allow it (a live run); each
        // item's attempts run on a thread of their own, and the item is concluded here, in order
        // of completion, where the run's state lives. Items are dispatched in order.
        let width = effects.runsConcurrently ? node.step.parallel?.value ?? 1 : 1
        let completions = ItemCompletions()
        var running: [Int: GraphStep] = [:]
        var itemOutputs: [Int: [String: Value]] = [:]
        var failedAt: [Int: String] = [:]
        var position = 0
        /// Counts an item that ended, from what was recorded for it.
        func tally(_ at: Int, _ itemNode: GraphStep, _ scope: RunScope) {
            let result = scope.expressions.steps[scope.localID(itemNode.id)] ?? .pending
            itemOutputs[at] = result.outputs
            switch result.status {
            case .ok: ok += 1
            case .failed, .timedOut: failedAt[at] = itemNode.id
            case .pending: planned += 1
            case .skipped, .planned, .declined: break
            }
        }
        while position < items.count || !running.isEmpty {
            while position < items.count, running.count < width {
                let item = items[position]
                let itemNode = node.item(item.index)
                let at = position
                position += 1
                if failedAt.count > budget || stop != nil {
                    notStarted += 1
                    let why = stop == nil ? "more than \(budget) of the items failed" : "the run is stopping"
                    skip(itemNode, scope: &scope, reason: "not started: \(why)", record: nil, depth: depth + 1)
                    continue
                }
                scope.enter(item, hosts: hosts)
                defer { scope.enter(nil, hosts: nil) }
                if let history = options.resume,
                    case .settled(let settled) = resumeStep(itemNode, history: history, scope: &scope, depth: depth + 1)
                {
                    stop = settled
                } else {
                    var started = self.started(
                        itemNode, scope: scope, guardRecord: nil, alternative: start.alternative, depth: depth + 1)
                    started.item = shown(item, scope: scope)
                    started.host = scope.target?.name
                    if node.step.confirm?.each == true,
                        let no = confirmIfNeeded(
                            itemNode, display: started.display, environment: started.environment, scope: scope)
                    {
                        scope.record(itemNode.id, StepResult(status: .skipped))
                        stop = no
                        declined += 1
                        continue
                    }
                    if width > 1 {
                        var own = scope
                        own.concurrent = true
                        running[at] = itemNode
                        let work = UnsafeTransfer((self, itemNode, started, own))
                        Threads.detach {
                            let (engine, itemNode, started, own) = work.value
                            completions.post(at, engine.attempts(itemNode, start: started, scope: own))
                        }
                        continue
                    }
                    stop = runAttempts(itemNode, start: started, scope: &scope)
                }
                tally(at, itemNode, scope)
            }
            guard !running.isEmpty else { continue }
            let (at, attempts) = completions.next()
            let itemNode = running.removeValue(forKey: at)!
            scope.enter(items[at], hosts: hosts)
            let ended = conclude(itemNode, attempts, scope: &scope)
            stop = stop ?? ended
            tally(at, itemNode, scope)
            scope.enter(nil, hosts: nil)
        }
        let failed = failedAt.keys.sorted().map { failedAt[$0]! }
        for at in itemOutputs.keys.sorted() {
            for output in node.step.outputs {
                outputs[output.name.value, default: []].append(itemOutputs[at]?[output.name.value] ?? .null)
            }
        }
        // An item's failure within the budget is not the verification's failure; the step's is.
        failedVerification = verificationBefore
        let overBudget = failed.count > budget
        let status: StepStatus
        if stop != nil || overBudget {
            status = .failed
        } else if planned > 0 && ok + failed.count == 0 {
            status = .planned
        } else if probesEveryItem && ok == 0 && planned == 0 {
            status = .failed
        } else {
            status = .ok
        }
        var parts = ok > 0 || planned == 0 ? ["\(ok) ok"] : []
        if !failed.isEmpty { parts.append("\(failed.count) failed (\(failed.joined(separator: ", ")))") }
        if planned > 0 { parts.append("\(planned) planned") }
        if declined > 0 { parts.append("\(declined) declined") }
        if notStarted > 0 { parts.append("\(notStarted) not started") }
        let limit = node.step.maxFailures.map { "max_failures \($0.value) = \(budget)" } ?? "max_failures 0"
        let message =
            "\(items.count == 1 ? "1 item" : "\(items.count) items"): \(parts.joined(separator: ", "))"
            + (stop != nil
                ? "; the run is stopping"
                : probesEveryItem
                    ? (ok > 0 ? "; the symptom is present" : planned > 0 ? "" : "; the symptom is absent everywhere")
                    : failed.isEmpty ? "" : overBudget ? "; more failed than \(limit) allows" : "; within \(limit)")
        scope.record(
            node.id,
            StepResult(
                status: status.seenByExpressions, outputs: outputs.mapValues { Value.list($0) }),
            known: status != .planned)
        emit(
            .stepFinished(
                StepFinished(
                    id: node.id, status: status, exitCode: nil,
                    durationMS: Int((effects.now().timeIntervalSince(began) * 1000).rounded()), stdout: nil,
                    stderr: nil, outputs: [:], message: message, leftoverPIDs: [], attempts: 1)))
        if let stop { return stop }
        guard overBudget else { return nil }
        if node.phase == .verify, scope.prefix.isEmpty, node.onFailure == .continue {
            failedVerification = failedVerification ?? node.id
        }
        return policy(for: node)
    }

    /// A step with `foreach` whose items a dry-run cannot know yet: planned, with why.
    func planUnknownItems(_ node: GraphStep, start: StepStarted, reason: String, scope: inout RunScope) -> Stop? {
        emit(.stepStarted(start))
        scope.record(node.id, .pending, known: false)
        completedUnknown = true
        if !node.readonly, plannedChange == nil { plannedChange = node.id }
        emit(
            .stepFinished(
                StepFinished(
                    id: node.id, status: .planned, exitCode: nil, durationMS: 0, stdout: nil, stderr: nil,
                    outputs: [:], message: "its items are not known yet: \(reason)", leftoverPIDs: [], attempts: 0)))
        return nil
    }
}

extension GraphStep {
    /// The run of this step for the item at `index`: its own id, its rollback actions named after
    /// it, and no policy of its own (the fan-out counts its failure; the step's policy decides).
    func item(_ index: Int) -> GraphStep {
        var copy = self
        copy.id = itemID(index)
        copy.step.foreach = nil
        copy.onFailure = .continue
        copy.rollback = rollback.map { RollbackAction(id: copy.id + $0.id.dropFirst(id.count), step: $0.step) }
        return copy
    }
}

/// Items of a `parallel:` fan-out that ended, handed from their threads to the engine's.
final class ItemCompletions: Sendable {
    private let ended = Locked<[(Int, Engine.Attempts)]>([])
    private let ready = DispatchSemaphore(value: 0)

    func post(_ position: Int, _ attempts: Engine.Attempts) {
        ended.withLock { $0.append((position, attempts)) }
        ready.signal()
    }

    /// Waits for the next item to end.
    func next() -> (Int, Engine.Attempts) {
        ready.wait()
        return ended.withLock { $0.removeFirst() }
    }
}

/// Hands values that are not `Sendable` to a thread that alone uses them from then on (the
/// engine, whose shared state an item's attempts only read, and an item's own scope).
struct UnsafeTransfer<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
