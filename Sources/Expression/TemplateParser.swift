import RunbookBasics
import RunbookDiagnostics

/// Splits template text into literal runs and `{{ }}` expressions.
///
/// The text is read as its UTF-8 bytes when it is ASCII (each byte is then one scalar, so
/// offsets are the same), and as its scalars otherwise: most commands and texts are ASCII, and
/// making an array of a text's scalars was a third of parsing one.
struct TemplateParser {
    private let source: SourceText
    private let parsed: ParsedExpressions?

    init(_ source: SourceText, parsed: ParsedExpressions? = nil) {
        self.source = source
        self.parsed = parsed
    }

    func parse() throws(Diagnostic) -> [Template.Part] {
        let outcome: Result<[Template.Part], Diagnostic> = source.value.withUTF8Bytes { bytes in
            if String.isASCII(bytes) {
                return Result { () throws(Diagnostic) in
                    try parse(bytes) { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self) }
                }
            }
            let scalars = source.value.scalarArray
            return scalars.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: UInt32.self) { units in
                    Result { () throws(Diagnostic) in try parse(units) { String(scalars: scalars[$0]) } }
                }
            }
        }
        return try outcome.get()
    }

    /// The parts of the text whose scalars (or ASCII bytes) are `units`; `slice` makes the text
    /// of a range of them.
    private func parse<Unit: FixedWidthInteger>(
        _ units: UnsafeBufferPointer<Unit>, slice: (Range<Int>) -> String
    ) throws(Diagnostic) -> [Template.Part] {
        var parts: [Template.Part] = []
        // Room for a command's usual text, substitution, text at once, rather than growing.
        parts.reserveCapacity(4)
        var textStart = 0
        var i = 0
        while let open = find(units, from: i) {
            if open > textStart { parts.append(.text(slice(textStart..<open))) }
            let close = try closing(units, of: open)
            parts.append(.expression(try expression(slice(open + 2..<close), at: open + 2, open: open), at: open))
            i = close + 2
            textStart = i
        }
        if textStart < units.count { parts.append(.text(slice(textStart..<units.count))) }
        return parts
    }

    /// The offset of the next `{{` from `start`.
    private func find<Unit: FixedWidthInteger>(_ units: UnsafeBufferPointer<Unit>, from start: Int) -> Int? {
        let brace = Unit(UInt8(ascii: "{"))
        var i = start
        while i + 1 < units.count {
            if units[i] == brace, units[i + 1] == brace { return i }
            i += 1
        }
        return nil
    }

    /// The offset of the `}}` that closes the `{{` at `open`, skipping quoted strings so `{{ "}}" }}` works.
    private func closing<Unit: FixedWidthInteger>(_ units: UnsafeBufferPointer<Unit>, of open: Int) throws(Diagnostic)
        -> Int
    {
        let (backslash, double, single, brace) = (
            Unit(UInt8(ascii: "\\")), Unit(UInt8(ascii: "\"")), Unit(UInt8(ascii: "'")), Unit(UInt8(ascii: "}"))
        )
        var i = open + 2
        var quote: Unit?
        while i < units.count {
            let c = units[i]
            if let q = quote {
                if c == backslash { i += 1 } else if c == q { quote = nil }
            } else if c == double || c == single {
                quote = c
            } else if c == brace, i + 1 < units.count, units[i + 1] == brace {
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

    /// The expression `text`, which starts at offset `start` of the template, inside the `{{` at `open`.
    private func expression(_ text: String, at start: Int, open: Int) throws(Diagnostic) -> Expression {
        if text.unicodeScalars.allSatisfy(\.isExpressionSpace) {
            throw .error(
                "empty expression in '{{ }}'", at: source.location(atOffset: open),
                hint: "put an expression between the braces, e.g. {{ params.service }}")
        }
        return try Expression(parsing: SourceText(text, positions: source.positions.shifted(by: start)), parsed: parsed)
    }
}
