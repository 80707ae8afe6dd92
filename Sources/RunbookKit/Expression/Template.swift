/// Text with `{{ EXPR }}` substitutions, parsed once and rendered against a scope in a quoting mode.
public struct Template: Sendable, Hashable {
    /// A literal run of text or one substitution.
    public enum Part: Sendable, Hashable {
        case text(String)
        case expression(Expression)
    }

    public let source: SourceText
    public let mode: QuotingMode
    public let parts: [Part]

    /// Parses `source`; the first problem (unclosed `{{`, empty or invalid expression) is thrown at its exact position.
    public init(parsing source: SourceText, mode: QuotingMode) throws(Diagnostic) {
        self.source = source
        self.mode = mode
        self.parts = try TemplateParser(source).parse()
    }

    /// The substitutions, in order.
    public var expressions: [Expression] {
        parts.compactMap { part in
            if case .expression(let e) = part { return e }
            return nil
        }
    }

    /// True when there is nothing to substitute.
    public var isLiteral: Bool { expressions.isEmpty }
}
