/// A node of a parsed expression, with the scalar offsets it spans in the expression's text.
package struct Expr: Sendable, Hashable {
    /// What the node is.
    package indirect enum Kind: Sendable, Hashable {
        case literal(Value)
        case list([Expr])
        case reference(Reference)
        /// A bare name that is not one of the known roots; the checker reports it.
        case identifier(String)
        case unary(UnaryOperator, Expr)
        case binary(BinaryOperator, Expr, Expr)
        case member(Expr, Name)
        case index(Expr, Expr)
        case call(Name, [Expr])
    }

    /// An identifier as written, with the offset of its first scalar.
    package struct Name: Sendable, Hashable {
        package var text: String
        package var offset: Int

        package init(_ text: String, at offset: Int) {
            self.text = text
            self.offset = offset
        }
    }

    package var kind: Kind
    /// Scalar offsets of the node's text within the expression.
    package var range: Range<Int>
    /// Where diagnostics about this node point: the operator, the `.` or `[`, a call's name, or the start.
    package var anchor: Int
    /// Height of the subtree, kept so that evaluation and checking never recurse deeper than the parser allowed.
    var depth: Int

    init(_ kind: Kind, range: Range<Int>, anchor: Int? = nil) {
        self.kind = kind
        self.range = range
        self.anchor = anchor ?? range.lowerBound
        self.depth = 1 + Expr.childDepth(kind)
    }

    private static func childDepth(_ kind: Kind) -> Int {
        switch kind {
        case .literal, .reference, .identifier: return 0
        case .list(let items): return items.map(\.depth).max() ?? 0
        case .unary(_, let operand): return operand.depth
        case .binary(_, let lhs, let rhs): return max(lhs.depth, rhs.depth)
        case .member(let base, _): return base.depth
        case .index(let base, let index): return max(base.depth, index.depth)
        case .call(_, let args): return args.map(\.depth).max() ?? 0
        }
    }
}
