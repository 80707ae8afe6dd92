extension Expression {
    /// The params this expression reads (`params.NAME`), in source order, repeats included.
    package var paramNames: [String] {
        root.references.compactMap { reference in
            if case .param(let name) = reference { return name.text }
            return nil
        }
    }
}

extension Template {
    /// The params the template's substitutions read, in source order, repeats included.
    package var paramNames: [String] { expressions.flatMap(\.paramNames) }
}

extension Expr {
    /// Every name this expression reads, in source order.
    package var references: [Reference] {
        switch kind {
        case .reference(let r): return [r]
        case .literal, .identifier: return []
        case .list(let items): return items.flatMap(\.references)
        case .unary(_, let operand): return operand.references
        case .binary(_, let lhs, let rhs): return lhs.references + rhs.references
        case .member(let base, _): return base.references
        case .index(let base, let index): return base.references + index.references
        case .call(_, let args): return args.flatMap(\.references)
        }
    }
}
