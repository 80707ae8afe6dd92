import RunbookDiagnostics

/// Finds what can be known wrong about an expression or template before anything runs.
///
/// Reports unknown params, steps, fields, outputs and functions, wrong arity, references to
/// steps that cannot have run yet, bare result names outside a step's own checks, type
/// mismatches that literals and declared param types decide, and invalid regex literals.
package struct ExpressionChecker: Sendable {
    /// How the value of a checked expression is used.
    package enum Usage: Sendable, Hashable {
        /// `when`, `expect`, `until`, `assert`: must be true or false.
        case condition
        /// `outputs` and anything else that takes any value.
        case value
        /// `foreach`: must be a list.
        case list
    }

    package var context: ExpressionContext

    package init(context: ExpressionContext) {
        self.context = context
    }

    /// All findings for one expression, in source order.
    package func check(_ expression: Expression, as usage: Usage = .value) -> [Diagnostic] {
        var pass = CheckPass(expression: expression, context: context, rawMode: nil)
        let type = pass.type(of: expression.root)
        if usage == .condition, type.isKnown, type != .bool {
            pass.report(
                "a condition must be true or false, but this expression gives \(type.withArticle)",
                at: expression.root.range.lowerBound,
                hint: "compare the value, e.g. stdout != \"\" or params.NAME != null")
        }
        if usage == .list, type.isKnown, type != .list {
            pass.report(
                "foreach needs a list, but this expression gives \(type.withArticle)",
                at: expression.root.range.lowerBound,
                hint: "a list param, a list such as [\"a\", \"b\"], or lines(steps.ID.stdout) for one item per line")
        }
        return pass.diagnostics
    }

    /// All findings for the expressions of a template, including a warning at each `raw(`, and
    /// in a shell command each template where the value cannot reach the command safely.
    package func check(_ template: Template) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var types: [ValueType] = []
        types.reserveCapacity(template.substitutionCount)
        for k in template.parts.indices {
            guard case .expression(let expression, _) = template.parts[k] else { continue }
            var pass = CheckPass(expression: expression, context: context, rawMode: template.mode)
            types.append(pass.type(of: expression.root))
            if !pass.diagnostics.isEmpty { diagnostics += pass.diagnostics }
        }
        template.addShellDiagnostics(types: types, checker: self, to: &diagnostics)
        return diagnostics
    }

    /// A warning at each item of an argv command that a program parses as shell code again:
    /// `[sh, -c, "echo {{ x }}"]`, `[ssh, host, "restart {{ x }}"]`.
    package func check(argv items: [SourceText]) -> [Diagnostic] {
        let words = items.map(\.value)
        return items.indices.compactMap { index in
            guard case .code(let program, let shell) = ShellCommandWords.effect(of: Array(words[...index]), at: index),
                let template = try? Template(parsing: items[index], mode: .plain),
                let first = template.substitutions.first(where: { substitution in
                    let type = type(of: substitution.expression)
                    return !substitution.expression.isRawCall && type != .number
                        && !(shell && isPlainWord(substitution.expression, type: type))
                })
            else { return nil }
            return Template.reparseWarning(program, shell: shell, at: items[index].location(atOffset: first.offset))
        }
    }

    /// True when the expression's value is a plain shell word whatever the run: a number or a
    /// boolean, or a param whose every accepted value is one.
    package func isPlainWord(_ expression: Expression, type: ValueType) -> Bool {
        if type == .number || type == .bool { return true }
        if case .reference(.param(let name)) = expression.root.kind {
            return context.plainWordParams.contains(name.text)
        }
        return false
    }

    /// The static type of an expression, without reporting anything.
    package func type(of expression: Expression) -> ValueType {
        var pass = CheckPass(expression: expression, context: context, rawMode: nil)
        return pass.type(of: expression.root)
    }
}
