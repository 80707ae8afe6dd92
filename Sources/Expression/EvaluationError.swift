import RunbookDiagnostics

/// A failure while evaluating an expression, with the expression text and where in the playbook it went wrong.
package struct EvaluationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Kinds that `default(x, fallback)` recovers from; the others are mistakes in the playbook.
    package enum Kind: Sendable, Hashable {
        case typeMismatch, missingMember, indexOutOfRange, nullValue, conversion, json, regex, arithmetic, unknownName
        /// A template where a shell command cannot receive its value safely (see `ShellContext`).
        case shellContext
    }

    package var kind: Kind
    package var message: String
    /// The whole expression as written.
    package var expression: String
    package var location: SourceLocation
    package var hint: String?

    package init(_ kind: Kind, _ message: String, expression: String, location: SourceLocation, hint: String? = nil) {
        self.kind = kind
        self.message = message
        self.expression = expression
        self.location = location
        self.hint = hint
    }

    /// The error as a diagnostic, so it prints like any other with file:line:column.
    package var diagnostic: Diagnostic {
        .error("\(message) (in `\(expression)`)", at: location, hint: hint)
    }

    package var description: String { diagnostic.description }
}

extension EvaluationError {
    /// A value with a NUL character, bound for a process: a C string would end there and the value arrive cut.
    package static func nulCharacter(in expression: String, at location: SourceLocation) -> EvaluationError {
        EvaluationError(
            .conversion, "the value contains a NUL character, which no command can receive", expression: expression,
            location: location,
            hint: "neither an argument nor an environment variable can hold NUL; clean the value where it is produced")
    }
}
