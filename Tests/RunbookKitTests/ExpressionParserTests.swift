import Testing

@testable import RunbookDiagnostics
@testable import RunbookExpression

@Suite struct ExpressionParserTests {
    @Test(arguments: [
        ("a || b && c", "(a || (b && c))"),
        ("a && b || c", "((a && b) || c)"),
        ("1 + 2 * 3", "(1 + (2 * 3))"),
        ("(1 + 2) * 3", "((1 + 2) * 3)"),
        ("1 - 2 - 3", "((1 - 2) - 3)"),
        ("8 / 4 % 3", "((8 / 4) % 3)"),
        ("1 + 2 == 3 && 4 < 5", "(((1 + 2) == 3) && (4 < 5))"),
        ("a == b != c", "((a == b) != c)"),
        ("x in [1, 2] == true", "((x in [1, 2]) == true)"),
        ("!a && b", "((!a) && b)"),
        ("!!a", "(!(!a))"),
        ("-2 * 3", "((-2) * 3)"),
        ("- -2", "(-(-2))"),
        ("!json(stdout).ok", "(!json(stdout).ok)"),
        ("json(stdout).items[0].name", "json(stdout).items[0].name"),
        ("json(stdout)['a b']", "json(stdout)[\"a b\"]"),
        ("number(stdout) > 80", "(number(stdout) > 80)"),
        ("params.pool_id != null", "(params.pool_id != null)"),
        ("env.HOME", "env.HOME"),
        ("steps.cpu.exit_code", "steps.cpu.exit_code"),
        ("steps.cpu.outputs.load", "steps.cpu.outputs.load"),
        ("steps.cpu.outputs.doc.items", "steps.cpu.outputs.doc.items"),
        ("steps.x.exitcode", "steps.x.exitcode"),
        ("exit_code == 0 && stderr == ''", "((exit_code == 0) && (stderr == \"\"))"),
        ("[]", "[]"),
        ("[1, 'a', [true],]", "[1, \"a\", [true]]"),
        ("f()", "f()"),
        ("default(params.a, 'x')", "default(params.a, \"x\")"),
        ("json(stdout).null", "json(stdout).null"),
        ("foo", "foo"),
        ("1.5 + .5e0".replacingOccurrences(of: " + .5e0", with: ""), "1.5"),
    ])
    func parsesWithConventionalPrecedence(_ text: String, _ expected: String) throws {
        #expect(try ExprTest.parse(text).root.sexpr == expected)
    }

    @Test func nodesKeepRangesAndAnchors() throws {
        let e = try ExprTest.parse("steps.a.ok && (x > 1)")
        guard case .binary(_, let lhs, let rhs) = e.root.kind else { Issue.record("not binary"); return }
        #expect(e.root.range == 0..<21)
        #expect(e.location(of: e.root) == ExprTest.at(1, 12))
        #expect(e.text(of: lhs) == "steps.a.ok")
        #expect(e.text(of: rhs) == "(x > 1)")
        #expect(e.location(of: rhs) == ExprTest.at(1, 18))
    }

    @Test(
        arguments: [
            ("", 1, "empty expression"),
            ("   ", 4, "empty expression"),
            ("1 +", 4, "the expression ends too early: expected a value"),
            ("(1 + 2", 7, "expected ')', found end of expression"),
            ("[1, 2", 6, "expected ',' or ']', found end of expression"),
            ("f(1 2)", 5, "expected ',' or ')', found number"),
            ("1 2", 3, "unexpected number after the expression"),
            ("a b", 3, "unexpected 'b' after the expression"),
            ("params", 7, "expected '.' after 'params', found end of expression"),
            ("params.", 8, "expected a param name after 'params', found end of expression"),
            ("env.1", 5, "expected an environment variable name after 'env', found number"),
            ("steps.x", 8, "expected '.' after 'steps.x', found end of expression"),
            ("steps.x.outputs", 16, "expected '.' after 'steps.x.outputs', found end of expression"),
            ("stdout.(1)", 8, "expected a name after '.', found '('"),
            ("x[1", 4, "expected ']', found end of expression"),
            ("(1)(2)", 4, "only functions can be called"),
            ("json(stdout).x(1)", 15, "only functions can be called"),
            (") + 1", 1, "expected a value, found ')'"),
            ("1 + * 2", 5, "expected a value, found '*'"),
        ] as [(String, Int, String)])
    func reportsSyntaxErrorsAtTheOffendingColumn(_ text: String, _ column: Int, _ message: String) {
        let error = ExprTest.parseError(text)
        #expect(error?.message == message)
        #expect(error?.location == ExprTest.at(1, column))
        #expect(error?.hint != nil)
    }

    /// A `|` block scalar: the value "number(stdout)\n  > 80 &&\n  x ==" sits on three source lines,
    /// each indented by 4 columns in the file, so offsets map through several segments.
    @Test func reportsErrorsAtExactPositionsAcrossBlockScalarLines() {
        let value = "number(stdout)\n> 80 &&\nstatus = 1"
        let positions = ScalarPositions(
            file: "p.yaml",
            segments: [
                .init(valueOffset: 0, line: 7, column: 5),
                .init(valueOffset: 15, line: 8, column: 5),
                .init(valueOffset: 23, line: 9, column: 5),
            ])
        do {
            _ = try Expression(parsing: SourceText(value, positions: positions))
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "unexpected '='")
            #expect(error.location == SourceLocation(file: "p.yaml", line: 9, column: 12))
            #expect(error.hint == "did you mean '=='?")
        }
        let ok = try? Expression(parsing: SourceText("number(stdout)\n> 80", positions: positions))
        #expect(ok.map { $0.location(of: $0.root) } == SourceLocation(file: "p.yaml", line: 8, column: 5))
    }

    @Test func errorsAfterNonASCIITextCountScalarsNotBytes() {
        let error = ExprTest.parseError("\"ünïcødé 🚀\" == = 1")
        #expect(error?.location == ExprTest.at(1, 16))
    }

    @Test(arguments: ["(", "!", "-", "[", "f("])
    func refusesDeepNestingWithADiagnostic(_ opener: String) {
        let text = String(repeating: opener, count: 10_000) + "1"
        let error = ExprTest.parseError(text)
        #expect(error?.message == "expression is nested too deeply (more than 64 levels)")
        #expect(error?.location == ExprTest.at(1, 64 * opener.count + 1))
    }

    @Test func refusesVeryLongOperatorChainsWithADiagnostic() {
        let text = Array(repeating: "1", count: 10_000).joined(separator: " + ")
        let error = ExprTest.parseError(text)
        #expect(error?.message.hasPrefix("expression is too long or nested too deeply") == true)
    }

    @Test func acceptsNestingUpToTheLimit() throws {
        let text = String(repeating: "(", count: 60) + "1" + String(repeating: ")", count: 60)
        #expect(try ExprTest.parse(text).root.sexpr == "1")
    }
}
