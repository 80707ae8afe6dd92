import Testing

@testable import RunbookExpression

@Suite struct ExpressionLexerTests {
    private func kinds(_ text: String) throws -> [Token.Kind] {
        var lexer = Lexer(ExprTest.source(text))
        return try lexer.tokenize().map(\.kind)
    }

    @Test(arguments: [
        ("42", [Token.Kind.number(42), .end]),
        ("81.5", [.number(81.5), .end]),
        ("\"a\\nb\\t\\\\\\\"\\'\"", [.string("a\nb\t\\\"'"), .end]),
        ("'it\\'s'", [.string("it's"), .end]),
        ("\"é🚀\"", [.string("é🚀"), .end]),
        ("true false null in", [.keywordTrue, .keywordFalse, .keywordNull, .keywordIn, .end]),
        ("a_1 B", [.identifier("a_1"), .identifier("B"), .end]),
        (
            "&& || == != <= >= < > ! + - * / %",
            [
                .andAnd, .orOr, .equal, .notEqual, .lessEqual, .greaterEqual, .less, .greater, .bang, .plus, .minus,
                .star,
                .slash, .percent, .end,
            ]
        ),
        ("( ) [ ] , .", [.leftParen, .rightParen, .leftBracket, .rightBracket, .comma, .dot, .end]),
        ("1.x", [.number(1), .dot, .identifier("x"), .end]),
        ("  \n\t", [.end]),
    ])
    func tokenizes(_ text: String, _ expected: [Token.Kind]) throws {
        #expect(try kinds(text) == expected)
    }

    @Test func tokenOffsetsCountUnicodeScalars() throws {
        var lexer = Lexer(ExprTest.source("\"é🚀\" == x"))
        let tokens = try lexer.tokenize()
        #expect(tokens.map(\.offset) == [0, 5, 8, 9])
    }

    @Test(
        arguments: [
            ("a & b", 3, "unexpected '&'", "did you mean '&&'?"),
            ("a | b", 3, "unexpected '|'", "did you mean '||'?"),
            ("a = 1", 3, "unexpected '='", "did you mean '=='?"),
            ("x == \"abc", 6, "unterminated string", "close the string with \""),
            ("'ab\\q'", 4, "unknown escape '\\q'", "valid escapes are \\n, \\t, \\\\, \\\" and \\'"),
            ("1 # 2", 3, "unexpected character '#'", nil),
            ("é == 1", 1, "unexpected character 'é'", nil),
        ] as [(String, Int, String, String?)])
    func reportsBadCharacterAtItsColumn(_ text: String, _ column: Int, _ message: String, _ hint: String?) {
        var lexer = Lexer(ExprTest.source(text))
        do {
            _ = try lexer.tokenize()
            Issue.record("expected a lexer error for \(text)")
        } catch {
            #expect(error.location == ExprTest.at(1, column))
            #expect(error.message == message)
            if let hint { #expect(error.hint == hint) }
        }
    }
}
