extension Expression {
    /// The params this expression reads (`params.NAME`), in source order, repeats included.
    package var paramNames: [String] {
        var names: [String] = []
        root.forEachReference { if case .param(let name) = $0 { names.append(name.text) } }
        return names
    }
}

extension Template {
    /// The params the template's substitutions read, in source order, repeats included.
    package var paramNames: [String] {
        var names: [String] = []
        for k in parts.indices {
            guard case .expression(let expression, _) = parts[k] else { continue }
            expression.root.forEachReference { if case .param(let name) = $0 { names.append(name.text) } }
        }
        return names
    }
}

extension Expr {
    /// Every name this expression reads, in source order.
    package var references: [Reference] {
        var references: [Reference] = []
        forEachReference { references.append($0) }
        return references
    }

    /// Calls `body` with every name this expression reads, in source order: one walk, without a
    /// list per node (checking asks every template which params it reads).
    func forEachReference(_ body: (Reference) -> Void) {
        switch kind {
        case .reference(let r): body(r)
        case .literal, .identifier: break
        case .list(let items): for item in items { item.forEachReference(body) }
        case .unary(_, let operand): operand.forEachReference(body)
        case .binary(_, let lhs, let rhs):
            lhs.forEachReference(body)
            rhs.forEachReference(body)
        case .member(let base, _): base.forEachReference(body)
        case .index(let base, let index):
            base.forEachReference(body)
            index.forEachReference(body)
        case .call(_, let args): for arg in args { arg.forEachReference(body) }
        }
    }
}
