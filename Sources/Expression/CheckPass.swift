import RunbookDiagnostics

/// One walk of the checker over an expression tree, inferring types and collecting diagnostics.
struct CheckPass {
    let expression: Expression
    let context: ExpressionContext
    /// Set when checking a template, so each `raw(` gets the warning for that quoting mode.
    let rawMode: QuotingMode?
    var diagnostics: [Diagnostic] = []

    mutating func report(_ message: String, at offset: Int, hint: String? = nil, severity: Diagnostic.Severity = .error)
    {
        diagnostics.append(Diagnostic(severity, message, at: expression.location(atOffset: offset), hint: hint))
    }

    /// The static type of a node, reporting what is wrong inside it on the way.
    mutating func type(of node: Expr) -> ValueType {
        switch node.kind {
        case .literal(let value):
            return value.type
        case .list(let items):
            for item in items { _ = type(of: item) }
            return .list
        case .reference(let reference):
            return type(of: reference)
        case .identifier(let name):
            report("unknown name '\(name)'", at: node.range.lowerBound, hint: unknownNameHint(name))
            return .any
        case .unary(let op, let operand):
            return checked(op.resultType(type(of: operand)), at: node.anchor)
        case .binary(let op, let lhs, let rhs):
            let l = type(of: lhs)
            let r = type(of: rhs)
            return checked(op.resultType(l, r), at: node.anchor)
        case .member(let base, let name):
            return memberType(type(of: base), name: name, at: node.anchor)
        case .index(let base, let index):
            return indexType(type(of: base), index: type(of: index), at: node.anchor)
        case .call(let name, let args):
            return callType(name, args, node: node)
        }
    }

    mutating func checked(_ result: Result<ValueType, TypeMismatch>, at offset: Int) -> ValueType {
        switch result {
        case .success(let type): return type
        case .failure(let mismatch):
            report(mismatch.message, at: offset, hint: mismatch.hint)
            return .any
        }
    }

    private func unknownNameHint(_ name: String) -> String {
        if let close = NameSuggestion.closest(to: name, in: ["params", "env", "steps"] + Reference.ownFields) {
            return "did you mean '\(close)'?"
        }
        if context.params[name] != nil { return "did you mean 'params.\(name)'?" }
        return
            "names start with params., env. or steps.; bare exit_code, stdout, stderr and duration mean the step's own result; strings need quotes"
    }

    private mutating func memberType(_ base: ValueType, name: Expr.Name, at offset: Int) -> ValueType {
        guard base.isKnown, base != .object else { return .any }
        report(
            "\(base.withArticle) has no member '\(name.text)'", at: offset,
            hint: base == .string ? "parse JSON text first, e.g. json(stdout).\(name.text)" : nil)
        return .any
    }

    private mutating func indexType(_ base: ValueType, index: ValueType, at offset: Int) -> ValueType {
        switch base {
        case .any: return .any
        case .list where !index.isKnown || index == .number: return .any
        case .object where !index.isKnown || index == .string: return .any
        case .list, .object:
            report(
                "\(base.withArticle) is indexed by \(base == .list ? "a number" : "a string"), got \(index.withArticle)",
                at: offset)
        default:
            report(
                "\(base.withArticle) cannot be indexed", at: offset,
                hint: base == .string ? "split text first, e.g. lines(stdout)[0], or parse it with json(...)" : nil)
        }
        return .any
    }
}
