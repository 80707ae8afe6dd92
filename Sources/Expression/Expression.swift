import RunbookBasics
import RunbookDiagnostics

/// A parsed expression together with the source text it came from, so any node maps back to line:column.
package struct Expression: Sendable, Hashable, CustomStringConvertible {
    package let source: SourceText
    package let root: Expr

    /// Parses `source`; the first syntax error is thrown as a diagnostic at the offending character.
    package init(parsing source: SourceText) throws(Diagnostic) {
        var lexer = Lexer(source)
        let tokens = try lexer.tokenize()
        var parser = Parser(source: source, tokens: tokens)
        self.source = source
        self.root = try parser.parseAll()
    }

    /// Parses `source`, or takes the tree of the same text from `parsed` when given.
    package init(parsing source: SourceText, parsed: ParsedExpressions?) throws(Diagnostic) {
        if let parsed { self = try parsed.expression(parsing: source) } else { try self.init(parsing: source) }
    }

    /// A tree already parsed from the same text (`ParsedExpressions`).
    init(source: SourceText, root: Expr) {
        self.source = source
        self.root = root
    }

    /// Where a node of this expression sits in the playbook.
    package func location(of node: Expr) -> SourceLocation {
        source.location(atOffset: node.anchor)
    }

    /// Where an offset of this expression's text sits in the playbook.
    package func location(atOffset offset: Int) -> SourceLocation {
        source.location(atOffset: offset)
    }

    /// The text of a node as written.
    package func text(of node: Expr) -> String {
        let scalars = source.value.scalarArray
        let range = node.range.clamped(to: 0..<scalars.count)
        return String(scalars: scalars[range])
    }

    package var description: String { source.value }
}
