extension Expression {
    /// The params this expression reads (`params.NAME`), in source order, repeats included.
    package var paramNames: [String] { root.paramNames }
}

extension Template {
    /// The params the template's substitutions read, in source order, repeats included.
    package var paramNames: [String] { expressions.flatMap(\.paramNames) }
}

extension Expr {
    fileprivate var paramNames: [String] {
        switch kind {
        case .reference(.param(let name)): return [name.text]
        case .reference, .literal, .identifier: return []
        case .list(let items): return items.flatMap(\.paramNames)
        case .unary(_, let operand): return operand.paramNames
        case .binary(_, let lhs, let rhs): return lhs.paramNames + rhs.paramNames
        case .member(let base, _): return base.paramNames
        case .index(let base, let index): return base.paramNames + index.paramNames
        case .call(_, let args): return args.flatMap(\.paramNames)
        }
    }
}
