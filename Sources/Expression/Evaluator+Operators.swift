extension Evaluator {
    func unary(_ op: UnaryOperator, _ operand: Evaluated, node: Expr) throws(EvaluationError) -> Evaluated {
        if case .failure(let mismatch) = op.resultType(operand.value.type) { throw fail(mismatch, at: node.anchor) }
        switch (op, operand.value) {
        case (.not, .bool(let b)): return Evaluated(.bool(!b), isSecret: operand.isSecret)
        case (.negate, .number(let n)): return Evaluated(.number(-n), isSecret: operand.isSecret)
        default:
            throw fail(
                .typeMismatch, "'\(op.rawValue)' cannot apply to \(operand.value.type.withArticle)", at: node.anchor)
        }
    }

    func binary(_ op: BinaryOperator, _ lhs: Expr, _ rhs: Expr, node: Expr) throws(EvaluationError) -> Evaluated {
        let l = try evaluate(lhs)
        if op == .and || op == .or {
            // Checked before looking at the right side, so that short-circuiting never hides a non-bool left side.
            guard case .bool(let b) = l.value else { throw fail(mismatch(op, l.value.type), at: node.anchor) }
            if b == (op == .or) { return l }
            let r = try evaluate(rhs)
            guard case .bool = r.value else { throw fail(mismatch(op, r.value.type), at: node.anchor) }
            return Evaluated(r.value, isSecret: l.isSecret || r.isSecret)
        }
        let r = try evaluate(rhs)
        if case .failure(let mismatch) = op.resultType(l.value.type, r.value.type) {
            throw fail(mismatch, at: node.anchor)
        }
        let value = try apply(op, l.value, r.value, node: node)
        return Evaluated(value, isSecret: l.isSecret || r.isSecret)
    }

    private func mismatch(_ op: BinaryOperator, _ type: ValueType) -> TypeMismatch {
        if case .failure(let m) = op.resultType(type, .bool) { return m }
        return TypeMismatch(message: "'\(op.rawValue)' needs true or false on both sides", hint: nil)
    }

    /// Applies an operator whose operand types have already been accepted.
    private func apply(_ op: BinaryOperator, _ l: Value, _ r: Value, node: Expr) throws(EvaluationError) -> Value {
        switch (op, l, r) {
        case (.equal, _, _): return .bool(l == r)
        case (.notEqual, _, _): return .bool(l != r)
        case (.less, .number(let a), .number(let b)): return .bool(a < b)
        case (.lessEqual, .number(let a), .number(let b)): return .bool(a <= b)
        case (.greater, .number(let a), .number(let b)): return .bool(a > b)
        case (.greaterEqual, .number(let a), .number(let b)): return .bool(a >= b)
        case (.less, .string(let a), .string(let b)): return .bool(a < b)
        case (.lessEqual, .string(let a), .string(let b)): return .bool(a <= b)
        case (.greater, .string(let a), .string(let b)): return .bool(a > b)
        case (.greaterEqual, .string(let a), .string(let b)): return .bool(a >= b)
        case (.in, _, .list(let items)): return .bool(items.contains(l))
        case (.in, .string(let a), .string(let b)): return .bool(b.contains(a))
        case (.in, .string(let a), .object(let members)): return .bool(members[a] != nil)
        case (.add, .string(let a), .string(let b)): return .string(a + b)
        case (.add, .list(let a), .list(let b)): return .list(a + b)
        case (_, .number(let a), .number(let b)): return try arithmetic(op, a, b, node: node)
        default:
            throw fail(
                .typeMismatch, "'\(op.rawValue)' cannot combine \(l.type.withArticle) and \(r.type.withArticle)",
                at: node.anchor)
        }
    }

    private func arithmetic(_ op: BinaryOperator, _ a: Double, _ b: Double, node: Expr) throws(EvaluationError) -> Value
    {
        if (op == .divide || op == .remainder) && b == 0 {
            throw fail(.arithmetic, "division by zero", at: node.anchor)
        }
        let result: Double
        switch op {
        case .add: result = a + b
        case .subtract: result = a - b
        case .multiply: result = a * b
        case .divide: result = a / b
        case .remainder: result = a.truncatingRemainder(dividingBy: b)
        default: throw fail(.typeMismatch, "'\(op.rawValue)' cannot combine two numbers", at: node.anchor)
        }
        guard result.isFinite else {
            throw fail(.arithmetic, "the result of '\(op.rawValue)' is too large", at: node.anchor)
        }
        return .number(result)
    }
}
