import RunbookBasics

/// Evaluates an expression tree against a scope, tracking which values came from secrets.
///
/// Truthiness: there is none. Only `true` and `false` are conditions; `!`, `&&` and `||`
/// take bools and anything else is an error, so `when: params.pool_id` must be written
/// `when: params.pool_id != null`. `&&` and `||` short-circuit: the right side is not
/// evaluated (and cannot fail) when the left side decides.
struct Evaluator {
    let expression: Expression
    let scope: ExpressionScope

    func evaluate(_ node: Expr) throws(EvaluationError) -> Evaluated {
        switch node.kind {
        case .literal(let value):
            return Evaluated(value)
        case .list(let items):
            var values: [Value] = []
            var secret = false
            for item in items {
                let e = try evaluate(item)
                values.append(e.value)
                secret = secret || e.isSecret
            }
            return Evaluated(.list(values), isSecret: secret)
        case .reference(let reference):
            return try resolve(reference, node: node)
        case .identifier(let name):
            throw fail(.unknownName, "unknown name '\(name)'", at: node.range.lowerBound)
        case .unary(let op, let operand):
            return try unary(op, try evaluate(operand), node: node)
        case .binary(let op, let lhs, let rhs):
            return try binary(op, lhs, rhs, node: node)
        case .member(let base, let name):
            return try member(try evaluate(base), name, node: node)
        case .index(let base, let index):
            return try self.index(try evaluate(base), try evaluate(index), node: node)
        case .call(let name, let args):
            return try call(name, args, node: node)
        }
    }

    func fail(_ kind: EvaluationError.Kind, _ message: String, at offset: Int, hint: String? = nil) -> EvaluationError {
        EvaluationError(
            kind, message, expression: expression.source.value,
            location: expression.location(atOffset: offset), hint: hint)
    }

    func fail(_ mismatch: TypeMismatch, at offset: Int) -> EvaluationError {
        fail(.typeMismatch, mismatch.message, at: offset, hint: mismatch.hint)
    }

    private func resolve(_ reference: Reference, node: Expr) throws(EvaluationError) -> Evaluated {
        switch reference {
        case .param(let name):
            guard let value = scope.params[name.text] else {
                throw fail(.unknownName, "unknown param '\(name.text)'", at: name.offset)
            }
            return Evaluated(value, isSecret: scope.secretParams.contains(name.text))
        case .env(let name):
            return Evaluated(scope.env[name.text].map(Value.string) ?? .null)
        case .stepField(let step, let field):
            let result = scope.steps[step.text] ?? .pending
            guard let value = result.field(field.text) else {
                throw fail(.unknownName, "unknown field '\(field.text)' of step '\(step.text)'", at: field.offset)
            }
            return Evaluated(value, isSecret: scope.secretSteps.contains(step.text) && Self.carriesOutput(field.text))
        case .stepOutput(let step, let output):
            return Evaluated(
                scope.steps[step.text]?.outputs[output.text] ?? .null, isSecret: scope.secretSteps.contains(step.text))
        case .own(let name):
            guard let own = scope.own, let value = own.field(name.text) else {
                throw fail(
                    .unknownName, "'\(name.text)' is only available in a step's own expect, until and outputs",
                    at: name.offset)
            }
            return Evaluated(value, isSecret: scope.ownIsSecret && Self.carriesOutput(name.text))
        case .ownOutput(let name):
            guard let own = scope.own else {
                throw fail(
                    .unknownName, "'outputs.\(name.text)' is only available in a step's own expect and until",
                    at: name.offset)
            }
            return Evaluated(
                own.outputs[name.text] ?? .null,
                isSecret: scope.ownIsSecret || scope.ownSecretOutputs.contains(name.text))
        case .loop(let name):
            guard let loop = scope.loop else {
                throw fail(.unknownName, "'\(name.text)' is only available in a step with foreach", at: name.offset)
            }
            return name.text == "index"
                ? Evaluated(.number(Double(loop.index))) : Evaluated(loop.value, isSecret: loop.isSecret)
        }
    }

    /// The fields of a step's result that carry what it printed (its status and timing do not).
    static func carriesOutput(_ field: String) -> Bool {
        field == "stdout" || field == "stderr"
    }

    private func member(_ base: Evaluated, _ name: Expr.Name, node: Expr) throws(EvaluationError) -> Evaluated {
        guard case .object(let members) = base.value else {
            throw fail(
                .typeMismatch, "\(base.value.type.withArticle) has no member '\(name.text)'", at: node.anchor,
                hint: base.value.type == .string ? "parse JSON text first, e.g. json(stdout).\(name.text)" : nil)
        }
        guard let value = members[name.text] else {
            let keys = members.keys.sorted().prefix(8).joined(separator: ", ")
            throw fail(
                .missingMember, "the object has no member '\(name.text)'", at: node.anchor,
                hint: "its members are: \(keys.isEmpty ? "(none)" : keys); use default(x, fallback) when it is optional"
            )
        }
        return Evaluated(value, isSecret: base.isSecret)
    }

    private func index(_ base: Evaluated, _ index: Evaluated, node: Expr) throws(EvaluationError) -> Evaluated {
        let secret = base.isSecret || index.isSecret
        switch (base.value, index.value) {
        case (.list(let items), .number(let n)):
            guard n == n.rounded(), n >= 0, n < Double(items.count) else {
                throw fail(
                    .indexOutOfRange, "index \(JSONValue.numberText(n)) is out of range for a list of \(items.count)",
                    at: node.anchor, hint: "indexes start at 0; use default(x, fallback) when it may be missing")
            }
            return Evaluated(items[Int(n)], isSecret: secret)
        case (.object(let members), .string(let key)):
            guard let value = members[key] else {
                throw fail(
                    .missingMember, "the object has no member \(JSONValue.quote(key))", at: node.anchor,
                    hint: "use default(x, fallback) when it is optional")
            }
            return Evaluated(value, isSecret: secret)
        default:
            throw fail(
                .typeMismatch, "cannot index \(base.value.type.withArticle) with \(index.value.type.withArticle)",
                at: node.anchor, hint: "lists take a number index, objects a string key")
        }
    }
}
