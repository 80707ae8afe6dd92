import Testing

@testable import RunbookBasics
@testable import RunbookDiagnostics
@testable import RunbookExpression

@Suite struct ExpressionTemplateTests {
    static let scope = ExpressionScope(
        params: [
            "service": .string("api"), "target": .number(10), "token": .string("s3cr3t"), "pool_id": .null,
            "hosts": .list([.string("a b"), .string("c")]),
        ],
        secretParams: ["token"],
        steps: ["cpu": StepResult(status: .ok, exitCode: 0, stdout: "token is s3cr3t\n")])

    private func template(_ text: String, _ mode: QuotingMode = .shell) throws -> Template {
        try Template(parsing: ExprTest.source(text), mode: mode)
    }

    private func render(_ text: String, _ mode: QuotingMode = .shell) throws -> Rendered {
        try template(text, mode).render(in: Self.scope)
    }

    /// An expression written again is taken from the ones parsed before, and still points
    /// at where it is written this time; a text that does not parse is reported at each place.
    @Test func aRepeatedExpressionIsParsedOnceAndLocatedWhereItIsWritten() throws {
        let parsed = ParsedExpressions()
        let first = try Template(
            parsing: SourceText("restart {{ params.nope }}", at: SourceLocation(file: "a.yaml", line: 3, column: 10)),
            mode: .shell, parsed: parsed)
        let again = try Template(
            parsing: SourceText("stop {{ params.nope }}-2", at: SourceLocation(file: "a.yaml", line: 9, column: 12)),
            mode: .shell, parsed: parsed)
        let (a, b) = (try #require(first.expressions.first), try #require(again.expressions.first))
        #expect(a.root == b.root)
        #expect("\(a.location(of: a.root))" == "a.yaml:3:21")
        #expect("\(b.location(of: b.root))" == "a.yaml:9:20")
        let direct = try Template(
            parsing: SourceText("stop {{ params.nope }}-2", at: SourceLocation(file: "a.yaml", line: 9, column: 12)),
            mode: .shell)
        #expect(direct == again)
        for line in [4, 7] {
            let bad = SourceText("x {{ params. }}", at: SourceLocation(file: "a.yaml", line: line, column: 5))
            #expect(throws: Diagnostic.self) { try Template(parsing: bad, mode: .shell, parsed: parsed) }
            do {
                _ = try Template(parsing: bad, mode: .shell, parsed: parsed)
            } catch {
                #expect(error.location.line == line)
            }
        }
    }

    @Test func aLiteralDoubleBraceIsATemplateWhoseValueIsThatText() throws {
        let plain = try render("format {{ '{{' }}.State.Status}}", .plain)
        #expect(plain.real == "format {{.State.Status}}")
        let shell = try render(#"docker inspect --format "{{ '{{' }}.State.Status}}" api"#)
        #expect(shell.real == #"docker inspect --format "${RB_1}.State.Status}}" api"#)
        #expect(shell.variables == ["RB_1": "{{"])
        #expect(shell.display == "docker inspect --format \"{{.State.Status}}\" api")
    }

    @Test func splitsTextAndExpressions() throws {
        let t = try template("a {{ params.service }}b{{1}}")
        #expect(t.parts.count == 4)
        #expect(t.expressions.map(\.source.value) == [" params.service ", "1"])
        #expect(try template("no braces } { here").isLiteral)
        #expect(try template("{{ \"}}\" }}").expressions.map(\.source.value) == [" \"}}\" "])
    }

    @Test(arguments: [
        ("systemctl restart {{ params.service }}", #"systemctl restart "${RB_1}""#, ["api"], "systemctl restart api"),
        ("scale --target {{ params.target }}", #"scale --target "${RB_1}""#, ["10"], "scale --target 10"),
        ("{{ raw(params.service + ' && echo hi') }}", "api && echo hi", [], "api && echo hi"),
        ("ping {{ params.hosts }}", #"ping "${RB_1}" "${RB_2}""#, ["a b", "c"], "ping 'a b' c"),
        ("{{ \"it's\" }}", #""${RB_1}""#, ["it's"], #"'it'\''s'"#),
        ("echo {{ default(params.pool_id, '') }}", #"echo "${RB_1}""#, [""], "echo ''"),
        (
            #"echo "at {{ params.hosts }}: {{ "$x" }}""#, #"echo "at ${RB_1}: ${RB_2}""#, ["a b c", "$x"],
            #"echo "at a b c: \$x""#
        ),
    ])
    func shellModePassesEachValueInAnEnvironmentVariable(
        _ text: String, _ real: String, _ values: [String], _ display: String
    ) throws {
        let rendered = try render(text)
        #expect(rendered.real == real)
        #expect(rendered.display == display)
        let expected = Dictionary(uniqueKeysWithValues: values.enumerated().map { ("RB_\($0.offset + 1)", $0.element) })
        #expect(rendered.variables == expected)
    }

    @Test(arguments: [
        ("Restart {{ params.service }} now?", "Restart api now?"),
        ("{{ params.target * 2 }} workers", "20 workers"),
        ("{{ params.hosts }}", "[\"a b\",\"c\"]"),
        ("{{ \"it's\" }}", "it's"),
    ])
    func insertsTextInPlainMode(_ text: String, _ expected: String) throws {
        #expect(try render(text, .plain).real == expected)
    }

    @Test func masksSecretsInTheDisplayButNotInTheRealText() throws {
        let whole = try render("curl -H {{ params.token }} x")
        #expect(whole.real == #"curl -H "${RB_1}" x"#)
        #expect(whole.variables == ["RB_1": "s3cr3t"])
        #expect(whole.display == "curl -H *** x")

        let embedded = try render("curl -H {{ 'Authorization: Bearer ' + params.token }}")
        #expect(embedded.variables == ["RB_1": "Authorization: Bearer s3cr3t"])
        #expect(embedded.display == "curl -H 'Authorization: Bearer ***'")

        let quoted = try render(#"curl -H "Authorization: Bearer {{ params.token }}""#)
        #expect(quoted.variables == ["RB_1": "s3cr3t"])
        #expect(quoted.display == #"curl -H "Authorization: Bearer ***""#)

        let derived = try render("{{ upper(params.token) }}", .plain)
        #expect(derived.real == "S3CR3T")
        #expect(derived.display == "***")

        let viaOutput = try render("echo {{ steps.cpu.stdout }}", .plain)
        #expect(viaOutput.display == "echo token is ***\n")

        let raw = try render("{{ raw('X=' + params.token) }}")
        #expect(raw.real == "X=s3cr3t")
        #expect(raw.display == "X=***")
    }

    @Test func maskerHidesTheLongestSecretWholeAndIgnoresEmptyAndShortOnes() {
        let masker = SecretMasker(secrets: ["abcd", "abcdefgh", "", "xy"])
        #expect(masker.mask("x abcdefgh y abcd z xy") == "x *** y *** z xy")
        #expect(masker.mask("nothing") == "nothing")
    }

    @Test func nullSubstitutionIsAnErrorWithAHint() throws {
        let t = try template("scale {{ params.pool_id }}")
        do {
            _ = try t.render(in: Self.scope)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .nullValue)
            #expect(error.location == ExprTest.at(1, 10))
            #expect(error.hint == "give it a value, or write default(params.pool_id, \"\")")
        }
    }

    @Test(arguments: [
        ("echo {{ params.x", 6, "unclosed '{{'"),
        ("echo {{ 'abc }}", 6, "unclosed '{{'"),
        ("a {{ }} b", 3, "empty expression in '{{ }}'"),
        ("a {{}}", 3, "empty expression in '{{ }}'"),
        ("run {{ params.a = 1 }}", 17, "unexpected '='"),
        ("x {{ 1 }} {{ ( }}", 16, "the expression ends too early: expected a value"),
    ])
    func reportsTemplateErrorsAtExactPositions(_ text: String, _ column: Int, _ message: String) {
        do {
            _ = try Template(parsing: ExprTest.source(text, line: 4, column: 10), mode: .shell)
            Issue.record("expected an error")
        } catch {
            #expect(error.message == message)
            #expect(error.location == ExprTest.at(4, 9 + column))
            #expect(error.hint != nil)
        }
    }

    @Test func positionsInsideAFoldedMultiLineTemplate() {
        // run: |  block whose second line starts at column 7 of line 21.
        let positions = ScalarPositions(
            file: "p.yaml",
            segments: [
                .init(valueOffset: 0, line: 20, column: 7), .init(valueOffset: 11, line: 21, column: 7),
            ])
        do {
            _ = try Template(parsing: SourceText("echo start\n{{ params.x + }}", positions: positions), mode: .shell)
            Issue.record("expected an error")
        } catch {
            #expect(error.location == SourceLocation(file: "p.yaml", line: 21, column: 21))
        }
    }

    @Test func checkerWarnsAtEachRawUse() throws {
        let checker = ExpressionChecker(context: ExpressionContext(params: ["a": .string]))
        let shell = checker.check(try template("x {{ raw(params.a) }} {{ params.a }} {{ raw('y') }}"))
        #expect(shell.map(\.severity) == [.warning, .warning])
        #expect(shell.map(\.location.column) == [6, 41])
        #expect(shell.first?.message.hasPrefix("raw() inserts text verbatim into the shell command;") == true)
        let plain = checker.check(try template("{{ raw(params.a) }}", .plain))
        #expect(
            plain.map(\.message) == ["raw() has no effect here: only shell commands treat substituted values specially"]
        )
        let unknown = checker.check(try template("{{ params.b }}"))
        #expect(unknown.map(\.message) == ["unknown param 'b'"])
    }
}

/// An ASCII template is read as its bytes, any other as its scalars: the same parts and the
/// same findings either way.
@Suite struct TemplateParserReadingTests {
    private static let templates = [
        "systemctl restart {{ params.svc }}-0", "{{ a }}", "{{a}}{{b}}", "x {{ \"}}\" }} y", "{{ 'a}}b' }}",
        "a {{ \"x\\\"}}\" }} b", "{ {{ a }} }", "{{{ a }}}", "text only", "", "{", "{{", "}}", "a {{ b", "{{ }}",
        "{{ 'unclosed }}", "echo {{ a }} {{ ", "{{ a }}\n{{ b }}\t", "{{ 1 + }}", "{{ steps.x.ok }} and {{ params.p }}",
    ]

    /// The parts' texts and expressions' texts and offsets, or the finding's message and place.
    private func reading(_ text: String) -> String {
        do {
            let template = try Template(parsing: ExprTest.source(text), mode: .plain)
            return template.parts.map { part in
                switch part {
                case .text(let text): return "text(\(text.debugDescription))"
                case .expression(let e, let at): return "expr(\(e.source.value.debugDescription)@\(at))"
                }
            }.joined(separator: " ")
        } catch {
            return "error(\(error.message) at \(error.location.line):\(error.location.column))"
        }
    }

    @Test func anASCIITemplateReadsAsTheSameTextWithAScalarBeyondASCIIAfterIt() {
        // "é" (two bytes, one scalar) after the last part sends the text down the scalars' path;
        // everything before it must be read alike.
        for text in Self.templates {
            let ascii = reading(text)
            let wide = reading(text + "é")
            if ascii.hasPrefix("error") {
                #expect(wide == ascii, "\(text.debugDescription)")
            } else {
                #expect(
                    wide.hasPrefix(String(ascii.dropLast(ascii.hasSuffix("\")") ? 2 : 0))), "\(text.debugDescription)")
            }
        }
        #expect(reading("a {{ b }} é") == "text(\"a \") expr(\" b \"@2) text(\" é\")")
        #expect(reading("é {{ b }}") == "text(\"é \") expr(\" b \"@2)")
        #expect(reading("é {{ b") == "error(unclosed '{{' at 1:3)")
    }
}
