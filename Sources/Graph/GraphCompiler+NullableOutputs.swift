import RunbookDiagnostics
import RunbookExpression
import RunbookPlaybook

/// A guard that reads an output which may be null: comparing null is a runtime error, which
/// fails the step the guard belongs to.
extension GraphCompiler {
    /// Warns where a `when` reads `steps.X.outputs.Y` of a step X that may not have succeeded
    /// (it continues on failure, has a guard of its own or sits in a `choose` option), unless
    /// the read is inside `default(…)`, compared with `null`, or guarded by what runs first:
    /// `steps.X.ok && …`, `steps.X.status == "ok" && …`, `steps.X.outputs.Y != null && …`, or
    /// the `||` forms `!steps.X.ok || …`. Rollback actions' guards are checked too (their own
    /// step completed, so its outputs are safe there).
    mutating func checkNullableOutputs(inGuardsOf node: GraphStep, mayFail: Set<String>) {
        for (text, own) in Self.outputGuards(of: node) {
            guard let expression = try? Expression(parsing: text) else { continue }
            for (step, output) in Self.unguardedOutputs(expression.root, safe: own)
            where mayFail.contains(step.text) {
                let name = "steps.\(step.text).outputs.\(output.text)"
                diagnostics.append(
                    .warning(
                        "\(name) is null when '\(step.text)' failed or did not run, and a guard cannot compare null",
                        at: expression.location(atOffset: step.offset),
                        hint:
                            "write default(\(name), FALLBACK), or check the step first: steps.\(step.text).ok && …"
                    ))
            }
        }
    }

    /// The guards of a step that name an output — its `when`, its options' and its rollback
    /// actions' — each with what is known to have succeeded there (a rollback action's own step).
    /// Only these can read an output, so most steps need no second parse, and a playbook where
    /// no step has one needs no list of the steps that may fail.
    static func outputGuards(of node: GraphStep) -> [(text: SourceText, safe: Set<String>)] {
        var guards: [(text: SourceText, safe: Set<String>)] = []
        func add(_ text: SourceText?, safe: @autoclosure () -> Set<String>) {
            if let text, text.value.containsBytes(of: "outputs") { guards.append((text, safe())) }
        }
        add(node.step.when, safe: [])
        if node.step.actionKind == .choose, case .choose(let choice) = node.step.action {
            for option in choice.options { add(option.when, safe: []) }
        }
        for action in node.step.rollback { add(action.when, safe: [Self.localID(node.id)]) }
        return guards
    }

    /// `steps.X.outputs.Y` reads not made safe by `safe` (step ids known to have succeeded,
    /// `X.Y` known not null), by `default(…)`, or by a comparison with `null`.
    private static func unguardedOutputs(_ node: Expr, safe: Set<String>) -> [(step: Expr.Name, output: Expr.Name)] {
        func walk(_ node: Expr) -> [(step: Expr.Name, output: Expr.Name)] { unguardedOutputs(node, safe: safe) }
        switch node.kind {
        case .reference(.stepOutput(let step, let output)):
            return safe.contains(step.text) || safe.contains("\(step.text).\(output.text)") ? [] : [(step, output)]
        case .reference, .literal, .identifier: return []
        case .call(let name, _) where name.text == BuiltinFunction.default.rawValue: return []
        case .binary(.and, let lhs, let rhs):
            return walk(lhs) + unguardedOutputs(rhs, safe: safe.union(facts(lhs, holding: true)))
        case .binary(.or, let lhs, let rhs):
            return walk(lhs) + unguardedOutputs(rhs, safe: safe.union(facts(lhs, holding: false)))
        case .binary(.equal, let lhs, let rhs), .binary(.notEqual, let lhs, let rhs):
            if isNull(lhs) || isNull(rhs) { return [] }
            return walk(lhs) + walk(rhs)
        case .binary(_, let lhs, let rhs): return walk(lhs) + walk(rhs)
        case .call(_, let args): return args.flatMap(walk)
        case .list(let items): return items.flatMap(walk)
        case .unary(_, let operand): return walk(operand)
        case .member(let base, _): return walk(base)
        case .index(let base, let index): return walk(base) + walk(index)
        }
    }

    /// What is known when `node` evaluates to `holding`: steps that succeeded (`X`) and
    /// outputs that are not null (`X.Y`).
    private static func facts(_ node: Expr, holding: Bool) -> Set<String> {
        switch node.kind {
        case .reference(.stepField(let step, let field)) where field.text == "ok" && holding: return [step.text]
        case .unary(.not, let operand): return facts(operand, holding: !holding)
        case .binary(.and, let lhs, let rhs) where holding:
            return facts(lhs, holding: true).union(facts(rhs, holding: true))
        case .binary(.or, let lhs, let rhs) where !holding:
            return facts(lhs, holding: false).union(facts(rhs, holding: false))
        case .binary(let op, let lhs, let rhs) where op == .equal || op == .notEqual:
            let equal = (op == .equal) == holding
            for (side, other) in [(lhs, rhs), (rhs, lhs)] {
                if case .reference(.stepField(let step, let field)) = side.kind, field.text == "status",
                    case .literal(.string("ok")) = other.kind, equal
                {
                    return [step.text]
                }
                if case .reference(.stepOutput(let step, let output)) = side.kind, isNull(other), !equal {
                    return ["\(step.text).\(output.text)"]
                }
            }
            return []
        default: return []
        }
    }

    private static func isNull(_ node: Expr) -> Bool {
        if case .literal(.null) = node.kind { return true }
        return false
    }

    /// Local ids of the steps that may end without success while the run goes on.
    static func stepsThatMayNotSucceed(_ graph: StepGraph) -> Set<String> {
        var ids: Set<String> = []
        func walk(_ node: GraphStep, guarded: Bool) {
            let mayFail = guarded || node.step.when != nil || node.onFailure == .continue || !node.branch.isEmpty
            if mayFail { ids.insert(localID(node.id)) }
            if case .include = node.body { return }
            for child in node.children { walk(child, guarded: guarded || node.step.when != nil) }
        }
        for phase in graph.phases { for node in phase.steps { walk(node, guarded: false) } }
        return ids
    }
}
