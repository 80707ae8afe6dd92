/// A prefix operator: logical not or numeric negation.
package enum UnaryOperator: String, Sendable, Hashable {
    case not = "!"
    case negate = "-"
}
