import Foundation
import RunbookTestSupport
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

    /// The rows `| `\X` | … |` of the reference's string-literal table: each escape and the character it gives
    /// (`(U+XXXX)` or the last code span of the row).
    static func documentedEscapes() throws -> (escapes: [Unicode.Scalar: Unicode.Scalar], section: String) {
        let doc = try String(
            contentsOf: Fixtures.root.appendingPathComponent("docs/playbook-reference.md"), encoding: .utf8)
        let section = try #require(doc.components(separatedBy: "### String literals\n").dropFirst().first)
            .components(separatedBy: "\n## ")[0]
        var escapes: [Unicode.Scalar: Unicode.Scalar] = [:]
        for row in section.split(separator: "\n") where row.hasPrefix("| `\\") {
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            let escape = try #require(Array(cells[0].unicodeScalars).dropFirst(2).first)
            let gives: Unicode.Scalar
            if let code = cells[1].range(of: "U+") {
                let hex = cells[1][code.upperBound...].prefix { $0.isHexDigit }
                gives = try #require(UInt32(hex, radix: 16).flatMap(Unicode.Scalar.init))
            } else {
                let spans = cells[1].split(separator: "`", omittingEmptySubsequences: false)
                gives = try #require(spans.dropLast().last?.unicodeScalars.first)
            }
            escapes[escape] = gives
        }
        return (escapes, section)
    }

    @Test func theReferenceDocumentsExactlyTheEscapesTheLexerAccepts() throws {
        let (documented, section) = try Self.documentedEscapes()
        #expect(Set(documented.keys) == ["n", "t", "\\", "\"", "'"])
        var accepted: [Unicode.Scalar: Unicode.Scalar] = [:]
        for code in UInt32(0x20)...0x7E {
            let c = Unicode.Scalar(code)!
            for quote in ["\"", "'"] where String(c) != quote {
                if case .string(let s)? = try? kinds(quote + "\\" + String(c) + quote).first {
                    accepted[c] = s.unicodeScalars.first
                }
            }
        }
        #expect(accepted == documented)
        // What the reference says an unknown escape and a trailing backslash do.
        let prose = section.replacingOccurrences(of: "\n", with: " ")
        #expect(prose.contains("error at the backslash — `\"\\d+\"` gives `unknown escape '\\d'`"))
        #expect(ExprTest.parseError("\"\\d+\"")?.message == "unknown escape '\\d'")
        #expect(ExprTest.parseError("\"\\d+\"")?.location == ExprTest.at(1, 2))
        #expect(prose.contains("a backslash as the last character of the text gives `unterminated string`"))
        #expect(ExprTest.parseError("\"abc\\")?.message == "unterminated string")
    }
}
