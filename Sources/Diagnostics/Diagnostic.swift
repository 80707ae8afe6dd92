/// One finding about a playbook or other input: an error or a warning at a location.
package struct Diagnostic: Sendable, Hashable, Error, CustomStringConvertible {
    package enum Severity: String, Sendable, Hashable, Codable {
        case error
        case warning
    }

    package var severity: Severity
    package var message: String
    package var location: SourceLocation
    /// What to do about it, printed as a `help:` line.
    package var hint: String?
    /// False when the source line may hold a secret (a params file): it is then not quoted.
    package var quotesSource = true

    package init(_ severity: Severity, _ message: String, at location: SourceLocation, hint: String? = nil) {
        self.severity = severity
        self.message = message
        self.location = location
        self.hint = hint
    }

    package static func error(_ message: String, at location: SourceLocation, hint: String? = nil) -> Diagnostic {
        Diagnostic(.error, message, at: location, hint: hint)
    }

    package static func warning(_ message: String, at location: SourceLocation, hint: String? = nil) -> Diagnostic {
        Diagnostic(.warning, message, at: location, hint: hint)
    }

    package var isError: Bool { severity == .error }

    /// The one-line compiler format: `FILE:LINE:COLUMN: error: MESSAGE`.
    package var description: String {
        "\(location): \(severity.rawValue): \(message)"
    }
}

extension Array where Element == Diagnostic {
    /// True when any diagnostic is an error (warnings don't fail).
    package var hasErrors: Bool { contains { $0.isError } }

    /// Diagnostics in file, line, column order; stable for equal positions.
    package func sortedByLocation() -> [Diagnostic] {
        enumerated().sorted { a, b in
            a.element.location == b.element.location ? a.offset < b.offset : a.element.location < b.element.location
        }.map(\.element)
    }
}
