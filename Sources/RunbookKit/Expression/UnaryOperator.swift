/// A prefix operator: logical not or numeric negation.
public enum UnaryOperator: String, Sendable, Hashable {
    case not = "!"
    case negate = "-"
}
