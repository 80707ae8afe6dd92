import RunbookDiagnostics
import RunbookExpression
import RunbookPlaybook

/// A guard that reads an output which may be null: comparing null is a runtime error, which
/// fails the step the guard belongs to.
extension GraphCompiler {
    /// Warns where a `when` reads `steps.X.outputs.Y` of a step X that may not have succeeded
    /// (it continues on failure, has a guard of its own or sits in a `choose` option), unless
    /// the read is inside `default(…)` or the guard also reads `steps.X.ok` or `steps.X.status`.
    mutating func checkNullableOutputsInGuards(_ graph: StepGraph) {
        let mayFail = Self.stepsThatMayNotSucceed(graph)
        for node in Self.ownSteps(graph) {
            var guards = [node.step.when].compactMap { $0 }
            if case .choose(let choice) = node.step.action { guards += choice.options.compactMap(\.when) }
            for text in guards {
                guard let expression = try? Expression(parsing: text) else { continue }
                let checked = Set(
                    expression.root.references.compactMap { reference -> String? in
                        if case .stepField(let step, let field) = reference, ["ok", "status"].contains(field.text) {
                            return step.text
                        }
                        return nil
                    })
                for (step, output) in Self.unprotectedOutputs(expression.root)
                where mayFail.contains(step.text) && !checked.contains(step.text) {
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
    }

    /// Local ids of the steps that may end without success while the run goes on.
    private static func stepsThatMayNotSucceed(_ graph: StepGraph) -> Set<String> {
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

    /// `steps.X.outputs.Y` references that are not inside a `default(…)` call.
    private static func unprotectedOutputs(_ node: Expr) -> [(step: Expr.Name, output: Expr.Name)] {
        switch node.kind {
        case .reference(.stepOutput(let step, let output)): return [(step, output)]
        case .reference, .literal, .identifier: return []
        case .call(let name, _) where name.text == BuiltinFunction.default.rawValue: return []
        case .call(_, let args): return args.flatMap(unprotectedOutputs)
        case .list(let items): return items.flatMap(unprotectedOutputs)
        case .unary(_, let operand): return unprotectedOutputs(operand)
        case .binary(_, let lhs, let rhs): return unprotectedOutputs(lhs) + unprotectedOutputs(rhs)
        case .member(let base, _): return unprotectedOutputs(base)
        case .index(let base, let index): return unprotectedOutputs(base) + unprotectedOutputs(index)
        }
    }
}
