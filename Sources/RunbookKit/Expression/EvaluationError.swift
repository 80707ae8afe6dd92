/// A failure while evaluating an expression, with the expression text and where in the playbook it went wrong.
public struct EvaluationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Kinds that `default(x, fallback)` recovers from; the others are mistakes in the playbook.
    public enum Kind: Sendable, Hashable {
        case typeMismatch, missingMember, indexOutOfRange, nullValue, conversion, json, regex, arithmetic, unknownName
    }

    public var kind: Kind
    public var message: String
    /// The whole expression as written.
    public var expression: String
    public var location: SourceLocation
    public var hint: String?

    public init(_ kind: Kind, _ message: String, expression: String, location: SourceLocation, hint: String? = nil) {
        self.kind = kind
        self.message = message
        self.expression = expression
        self.location = location
        self.hint = hint
    }

    /// The error as a diagnostic, so it prints like any other with file:line:column.
    public var diagnostic: Diagnostic {
        .error("\(message) (in `\(expression)`)", at: location, hint: hint)
    }

    public var description: String { diagnostic.description }
}
