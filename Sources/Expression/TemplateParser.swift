import RunbookBasics
import RunbookDiagnostics

/// Splits template text into literal runs and `{{ }}` expressions.
struct TemplateParser {
    private let source: SourceText
    private let scalars: [Unicode.Scalar]
    private let parsed: ParsedExpressions?

    init(_ source: SourceText, parsed: ParsedExpressions? = nil) {
        self.source = source
        self.scalars = source.value.scalarArray
        self.parsed = parsed
    }

    func parse() throws(Diagnostic) -> [Template.Part] {
        var parts: [Template.Part] = []
        // Room for a command's usual text, substitution, text at once, rather than growing.
        parts.reserveCapacity(4)
        var textStart = 0
        var i = 0
        while let open = find("{", "{", from: i) {
            if open > textStart { parts.append(.text(slice(textStart..<open))) }
            let close = try closing(of: open)
            parts.append(.expression(try expression(open + 2..<close, open: open), at: open))
            i = close + 2
            textStart = i
        }
        if textStart < scalars.count { parts.append(.text(slice(textStart..<scalars.count))) }
        return parts
    }

    private func find(_ a: Unicode.Scalar, _ b: Unicode.Scalar, from start: Int) -> Int? {
        var i = start
        while i + 1 < scalars.count {
            if scalars[i] == a, scalars[i + 1] == b { return i }
            i += 1
        }
        return nil
    }

    /// The offset of the `}}` that closes the `{{` at `open`, skipping quoted strings so `{{ "}}" }}` works.
    private func closing(of open: Int) throws(Diagnostic) -> Int {
        var i = open + 2
        var quote: Unicode.Scalar?
        while i < scalars.count {
            let c = scalars[i]
            if let q = quote {
                if c == "\\" { i += 1 } else if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "}", i + 1 < scalars.count, scalars[i + 1] == "}" {
                return i
            }
            i += 1
        }
        let hint =
            quote == nil
            ? "end the expression with }}; to write a literal {{, use {{ '{{' }}"
            : "a string inside the expression is not closed, so its }} is part of the string"
        throw .error("unclosed '{{'", at: source.location(atOffset: open), hint: hint)
    }

    private func expression(_ range: Range<Int>, open: Int) throws(Diagnostic) -> Expression {
        let text = slice(range)
        if text.unicodeScalars.allSatisfy(\.isExpressionSpace) {
            throw .error(
                "empty expression in '{{ }}'", at: source.location(atOffset: open),
                hint: "put an expression between the braces, e.g. {{ params.service }}")
        }
        return try Expression(
            parsing: SourceText(text, positions: source.positions.shifted(by: range.lowerBound)), parsed: parsed)
    }

    private func slice(_ range: Range<Int>) -> String {
        String(scalars: scalars[range])
    }
}
