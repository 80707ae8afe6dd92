import RunbookBasics
import RunbookDiagnostics

/// Splits an expression's text into tokens, reporting the first bad character at its exact position.
struct Lexer {
    private let source: SourceText
    private let scalars: [Unicode.Scalar]
    private var index = 0

    init(_ source: SourceText) {
        self.source = source
        self.scalars = source.value.scalarArray
    }

    /// All tokens, ending with `.end`.
    mutating func tokenize() throws(Diagnostic) -> [Token] {
        var tokens: [Token] = []
        // A token is at least one character, and most are names of several: room for half as
        // many tokens as characters spares the list its growing (this runs for every expression).
        tokens.reserveCapacity(scalars.count / 2 + 2)
        while true {
            skipWhitespace()
            guard index < scalars.count else {
                tokens.append(Token(kind: .end, offset: index, endOffset: index))
                return tokens
            }
            tokens.append(try next())
        }
    }

    private mutating func skipWhitespace() {
        while index < scalars.count, scalars[index].isExpressionSpace { index += 1 }
    }

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        index + ahead < scalars.count ? scalars[index + ahead] : nil
    }

    private mutating func next() throws(Diagnostic) -> Token {
        let start = index
        let c = scalars[index]
        if c.isDigit { return lexNumber() }
        if c.isIdentifierStart { return lexIdentifier() }
        if c == "\"" || c == "'" { return try lexString(quote: c) }
        if let kind = try lexOperator() {
            return Token(kind: kind, offset: start, endOffset: index)
        }
        throw error(
            "unexpected character '\(c.escapedForMessage)'", at: start,
            hint: "expressions use names like params.NAME, literals, operators and functions")
    }

    private mutating func lexNumber() -> Token {
        let start = index
        while let c = peek(), c.isDigit { index += 1 }
        // A dot only belongs to the number when a digit follows, so `1.x` stays an error later, not here.
        if peek() == ".", let d = peek(1), d.isDigit {
            index += 1
            while let c = peek(), c.isDigit { index += 1 }
        }
        let text = String(scalars: scalars[start..<index])
        return Token(kind: .number(Double(text) ?? 0), offset: start, endOffset: index)
    }

    private mutating func lexIdentifier() -> Token {
        let start = index
        while let c = peek(), c.isIdentifierContinue { index += 1 }
        return Token(
            kind: keyword(start..<index) ?? .identifier(String(scalars: scalars[start..<index])),
            offset: start, endOffset: index)
    }

    /// The keyword spelt by the scalars in `range`, if any: told by its length and scalars
    /// before any string is made (most names are no keyword).
    private func keyword(_ range: Range<Int>) -> Token.Kind? {
        func spells(_ word: StaticString) -> Bool {
            word.withUTF8Buffer { bytes in
                bytes.indices.allSatisfy { scalars[range.lowerBound + $0].value == UInt32(bytes[$0]) }
            }
        }
        switch range.count {
        case 2: return spells("in") ? .keywordIn : nil
        case 4: return spells("true") ? .keywordTrue : spells("null") ? .keywordNull : nil
        case 5: return spells("false") ? .keywordFalse : nil
        default: return nil
        }
    }

    private mutating func lexString(quote: Unicode.Scalar) throws(Diagnostic) -> Token {
        let start = index
        index += 1
        var text = String.UnicodeScalarView()
        while let c = peek() {
            if c == quote {
                index += 1
                return Token(kind: .string(String(text)), offset: start, endOffset: index)
            }
            if c == "\\" {
                text.append(try lexEscape())
            } else {
                text.append(c)
                index += 1
            }
        }
        throw error("unterminated string", at: start, hint: "close the string with \(quote)")
    }

    private mutating func lexEscape() throws(Diagnostic) -> Unicode.Scalar {
        let at = index
        index += 1
        guard let c = peek() else {
            throw error("unterminated string", at: at, hint: "a backslash must be followed by n, t, \\, \" or '")
        }
        index += 1
        switch c {
        case "n": return "\n"
        case "t": return "\t"
        case "\\", "\"", "'": return c
        default:
            throw error(
                "unknown escape '\\\(c.escapedForMessage)'", at: at,
                hint: "valid escapes are \\n, \\t, \\\\, \\\" and \\'")
        }
    }

    private mutating func lexOperator() throws(Diagnostic) -> Token.Kind? {
        let c = scalars[index]
        if let n = peek(1), let kind = Self.pair(c, n) {
            index += 2
            return kind
        }
        if let kind = Self.single(c) {
            index += 1
            return kind
        }
        // Single `&`, `|` and `=` are the usual slips from other languages; name the intended operator.
        if c == "&" || c == "|" || c == "=" {
            throw error("unexpected '\(c)'", at: index, hint: "did you mean '\(c)\(c)'?")
        }
        return nil
    }

    private static func pair(_ c: Unicode.Scalar, _ n: Unicode.Scalar) -> Token.Kind? {
        switch (c, n) {
        case ("&", "&"): .andAnd
        case ("|", "|"): .orOr
        case ("=", "="): .equal
        case ("!", "="): .notEqual
        case ("<", "="): .lessEqual
        case (">", "="): .greaterEqual
        default: nil
        }
    }

    private static func single(_ c: Unicode.Scalar) -> Token.Kind? {
        switch c {
        case "(": .leftParen
        case ")": .rightParen
        case "[": .leftBracket
        case "]": .rightBracket
        case ",": .comma
        case ".": .dot
        case "!": .bang
        case "<": .less
        case ">": .greater
        case "+": .plus
        case "-": .minus
        case "*": .star
        case "/": .slash
        case "%": .percent
        default: nil
        }
    }

    private func error(_ message: String, at offset: Int, hint: String?) -> Diagnostic {
        .error(message, at: source.location(atOffset: offset), hint: hint)
    }
}

extension Unicode.Scalar {
    var isExpressionSpace: Bool { self == " " || self == "\t" || self == "\n" || self == "\r" }
    fileprivate var isDigit: Bool { ("0"..."9").contains(self) }
    fileprivate var isIdentifierStart: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) || self == "_" }
    fileprivate var isIdentifierContinue: Bool { isIdentifierStart || isDigit }
    /// Control characters would garble a one-line message; show them escaped.
    fileprivate var escapedForMessage: String {
        properties.generalCategory == .control ? escaped(asASCII: true) : String(Character(self))
    }
}
