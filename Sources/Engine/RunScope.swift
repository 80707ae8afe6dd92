import FoundationEssentials
import RunbookBasics
import RunbookExpression
import RunbookPlaybook

/// The state one playbook instance reads from: its params, its steps' results, and what is unknown.
///
/// An included playbook gets a scope of its own, so its expressions see only its own
/// steps and params (README: includes).
struct RunScope {
    var expressions: ExpressionScope
    /// Prefix of this instance's full step ids (`""`, or `restart/` inside an include).
    let prefix: String
    /// Local ids of steps whose result is unknown because they were not executed (dry-run).
    var unknown: Set<String> = []
    /// Params of an included playbook bound by `with:` to a value not known yet (dry-run).
    var unknownParams: Set<String> = []
    /// Why the commands of the step being run must not be probed in a dry-run (its guard is
    /// undetermined, it sits in an option a live run may not take); nil when nothing stops it.
    var notProbed: String?
    /// The host the item being run is for (a step with `on:`); nil on this machine.
    var target: RemoteHost?
    /// True while an item of a `parallel:` fan-out is run: its command runs beside others.
    var concurrent = false
    /// Every result recorded in this run, shared by the scopes of one run (includes too), so a
    /// rollback reads whether later steps ran (`latest()`), not only what was known when its step ended.
    let journal: ResultJournal

    init(
        params: ResolvedParams, environment: [String: String], prefix: String, journal: ResultJournal = ResultJournal()
    ) {
        let values = params.values.mapValues { $0.map(Value.init(param:)) ?? .null }
        expressions = ExpressionScope(
            params: values, secretParams: params.secretNames, env: environment, steps: [:])
        self.prefix = prefix
        self.journal = journal
    }

    /// This scope with the statuses of the steps recorded since it was captured: what a rollback reads.
    func latest() -> RunScope {
        var scope = self
        for (fullID, entry) in journal.entries() where fullID.hasPrefix(prefix) {
            let id = String(fullID.dropFirst(prefix.count))
            guard !id.contains("/"), scope.expressions.steps[id] == nil else { continue }
            // Only whether it ran is readable from a rollback (validate enforces it), so only the status is copied.
            scope.expressions.steps[id] = StepResult(status: entry.result.status)
            if !entry.known { scope.unknown.insert(id) }
        }
        return scope
    }

    func localID(_ fullID: String) -> String {
        fullID.hasPrefix(prefix) ? String(fullID.dropFirst(prefix.count)) : fullID
    }

    mutating func record(_ fullID: String, _ result: StepResult, known: Bool = true) {
        let id = localID(fullID)
        expressions.steps[id] = result
        if known { unknown.remove(id) } else { unknown.insert(id) }
        journal.record(fullID, result, known: known)
    }

    var secrets: [String] { expressions.secretTexts }

    /// Enters the run of one item of a fan-out (nil: leaves it): `item` and `index` become
    /// readable, and the command runs on the item's host when it has one.
    mutating func enter(_ item: ExpressionScope.LoopItem?, hosts: [RemoteHost]?) {
        expressions.loop = item
        target = item.flatMap { item in hosts?[item.index] }
    }

    /// A step whose command held a secret makes its output secret, and an output computed from
    /// a secret is masked like one wherever its text appears later (README: secrets).
    mutating func recordSecrecy(of fullID: String, _ attempt: Engine.Attempt) {
        let id = localID(fullID)
        if attempt.usedSecret || !attempt.secretOutputs.isEmpty { expressions.secretSteps.insert(id) }
        for name in attempt.secretOutputs {
            guard let text = attempt.result.outputs[name]?.text else { continue }
            // Output is masked line by line, so the text without its surrounding newline counts too.
            expressions.derivedSecrets += Set([text, text.trimmingWhitespace])
        }
        expressions.derivedSecrets += attempt.secretTexts
    }
}

/// The results of one run by full step id, shared by its scopes.
final class ResultJournal: Sendable {
    struct Entry: Sendable {
        var result: StepResult
        var known: Bool
    }

    private let state = Locked<[String: Entry]>([:])

    func record(_ fullID: String, _ result: StepResult, known: Bool) {
        state.withLock { $0[fullID] = Entry(result: result, known: known) }
    }

    func entries() -> [String: Entry] { state.withLock { $0 } }
}

extension Value {
    /// A param value as expressions see it: durations are seconds.
    init(param: ParamValue) {
        switch param {
        case .string(let s): self = .string(s)
        case .int(let i): self = .number(Double(i))
        case .number(let d): self = .number(d)
        case .bool(let b): self = .bool(b)
        case .duration(let d): self = .number(d.seconds)
        case .list(let items): self = .list(items.map(Value.string))
        }
    }
}
