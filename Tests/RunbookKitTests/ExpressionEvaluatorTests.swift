import Testing

@testable import RunbookExpression

@Suite struct ExpressionEvaluatorTests {
    static let scope = ExpressionScope(
        params: [
            "service": .string("api"), "target": .number(10), "pool_id": .null, "token": .string("s3cr3t"),
            "dry": .bool(false),
        ],
        secretParams: ["token"],
        env: ["HOME": "/root"],
        steps: [
            "cpu": StepResult(
                status: .ok, exitCode: 0, stdout: "81.5\n", stderr: "", duration: 0.25,
                outputs: ["load": .number(81.5)]),
            "health": StepResult(
                status: .ok, exitCode: 0,
                stdout: #"{"status":"ok","items":[{"name":"a"},{"name":"b"}],"n":3,"up":true,"x":null}"#),
            "broken": StepResult(status: .failed, exitCode: 2, stdout: "not json", stderr: "boom\n"),
        ],
        own: StepResult(status: .ok, exitCode: 0, stdout: "line1\r\nline2\n", stderr: "warn: x\n", duration: 1.5))

    private func eval(_ text: String) throws -> Value {
        try ExprTest.parse(text).evaluate(in: Self.scope)
    }

    @Test(arguments: [
        ("1 + 2 * 3", Value.number(7)),
        ("7 % 4 - 10 / 4", .number(0.5)),
        ("-params.target", .number(-10)),
        ("number(steps.cpu.stdout) > 80", .bool(true)),
        ("number('81.5\\n') == 81.5", .bool(true)),
        ("number(' -3 ')", .number(-3)),
        ("int('42.9')", .number(42)),
        ("int(-2.5)", .number(-2)),
        ("10 > 9", .bool(true)),
        ("'10' > '9'", .bool(false)),
        ("2 <= 2 && 3 >= 4 == false", .bool(true)),
        ("params.pool_id != null", .bool(false)),
        ("params.pool_id == null", .bool(true)),
        ("null == 0", .bool(false)),
        ("params.service != null", .bool(true)),
        ("'a' + 'b'", .string("ab")),
        ("[1] + [2]", .list([.number(1), .number(2)])),
        ("'pi' in 'api'", .bool(true)),
        ("2 in [1, 2]", .bool(true)),
        ("'2' in [1, 2]", .bool(false)),
        ("'status' in json(steps.health.stdout)", .bool(true)),
        ("json(steps.health.stdout).status == 'ok'", .bool(true)),
        ("json(steps.health.stdout).items[1].name", .string("b")),
        ("json(steps.health.stdout)['n'] + 1", .number(4)),
        ("json(steps.health.stdout).up", .bool(true)),
        ("json(steps.health.stdout).x", .null),
        ("json('[1, 2.5, \"a\"]')", .list([.number(1), .number(2.5), .string("a")])),
        ("json('3')", .number(3)),
        ("steps.cpu.outputs.load", .number(81.5)),
        ("steps.cpu.outputs.missing", .null),
        ("steps.cpu.status", .string("ok")),
        ("steps.broken.ok", .bool(false)),
        ("steps.broken.exit_code", .number(2)),
        ("steps.cpu.duration", .number(0.25)),
        ("steps.never.status", .string("pending")),
        ("steps.never.exit_code", .null),
        ("env.HOME", .string("/root")),
        ("env.NOPE", .null),
        ("exit_code == 0 && duration > 1", .bool(true)),
        ("lines(stdout)", .list([.string("line1"), .string("line2")])),
        ("lines('')", .list([])),
        ("len(lines('a\\n\\nb'))", .number(3)),
        ("trim(stderr)", .string("warn: x")),
        ("len('héllo')", .number(5)),
        ("len([1, 2])", .number(2)),
        ("len(json(steps.health.stdout))", .number(5)),
        ("lower('AbC') + upper('x')", .string("abcX")),
        ("contains(stdout, 'line2')", .bool(true)),
        ("contains([1, 'a'], 'a')", .bool(true)),
        ("contains(json(steps.health.stdout), 'n')", .bool(true)),
        ("startsWith(stderr, 'warn')", .bool(true)),
        ("endsWith(params.service, 'pi')", .bool(true)),
        ("matches('load: 81', '[0-9]+$')", .bool(true)),
        ("matches('load', '^[0-9]+$')", .bool(false)),
        ("match('load: 81.5%', '([0-9.]+)%')", .string("81.5")),
        ("match('load: 81', '[0-9]+')", .string("81")),
        ("match('idle', '([0-9]+)')", .null),
        ("string(3) + string(2.5) + string(true) + string(null)", .string("32.5truenull")),
        ("string([1, 'a'])", .string("[1,\"a\"]")),
        ("default(params.pool_id, 'p1')", .string("p1")),
        ("default(params.service, 'p1')", .string("api")),
        ("default(json(steps.health.stdout).missing, 0)", .number(0)),
        ("default(json(steps.health.stdout).items[9].name, 'none')", .string("none")),
        ("raw(params.service)", .string("api")),
        ("false && (1 / 0 > 1)", .bool(false)),
        ("true || json('bad')", .bool(true)),
    ])
    func evaluates(_ text: String, _ expected: Value) throws {
        #expect(try eval(text) == expected)
    }

    @Test(
        arguments: [
            ("'a' > 3", 5, EvaluationError.Kind.typeMismatch, "cannot compare a string with a number using '>'"),
            ("steps.cpu.stdout > 80", 18, .typeMismatch, "cannot compare a string with a number using '>'"),
            ("steps.cpu.stdout == 81.5", 18, .typeMismatch, "cannot compare a string with a number using '=='"),
            ("json(steps.broken.stdout).status", 6, .json, "json() could not parse \"not json\": "),
            ("json(steps.health.stdout).nope", 26, .missingMember, "the object has no member 'nope'"),
            ("json(steps.health.stdout).items[5]", 32, .indexOutOfRange, "index 5 is out of range for a list of 2"),
            ("json(steps.health.stdout)['zz']", 26, .missingMember, "the object has no member \"zz\""),
            ("steps.cpu.stdout.x", 17, .typeMismatch, "a string has no member 'x'"),
            ("number('12abc')", 8, .conversion, "cannot convert \"12abc\" to a number"),
            ("number('0x1A')", 8, .conversion, "cannot convert \"0x1A\" to a number"),
            ("number('nan')", 8, .conversion, "cannot convert \"nan\" to a number"),
            ("number(params.pool_id)", 8, .nullValue, "number() got null"),
            ("matches('a', '(')", 14, .regex, "invalid regular expression \"(\""),
            ("1 / 0", 3, .arithmetic, "division by zero"),
            ("5 % 0", 3, .arithmetic, "division by zero"),
            ("'x' && true", 5, .typeMismatch, "'&&' needs true or false on both sides, got a string"),
            ("!params.service", 1, .typeMismatch, "'!' needs true or false, got a string"),
            ("params.nope", 8, .unknownName, "unknown param 'nope'"),
            ("nope", 1, .unknownName, "unknown name 'nope'"),
            ("len(1)", 5, .typeMismatch, "len() cannot take a number (1)"),
            ("'a' + 1", 5, .typeMismatch, "'+' cannot combine a string and a number"),
            ("default(1 / 0, 2)", 11, .arithmetic, "division by zero"),
        ] as [(String, Int, EvaluationError.Kind, String)])
    func throwsRuntimeErrorsWithLocationAndText(
        _ text: String, _ column: Int, _ kind: EvaluationError.Kind, _ message: String
    ) throws {
        do {
            let value = try eval(text)
            Issue.record("expected an error, got \(value)")
        } catch let error as EvaluationError {
            #expect(error.kind == kind)
            #expect(error.message.hasPrefix(message), "\(error.message)")
            #expect(error.location == ExprTest.at(1, column))
            #expect(error.expression == text)
            #expect(error.diagnostic.description.hasPrefix("p.yaml:1:\(column): error: \(message)"))
        }
    }

    @Test func ownNamesOutsideOwnChecksFailAtRunTime() throws {
        var scope = Self.scope
        scope.own = nil
        #expect(throws: EvaluationError.self) { try ExprTest.parse("stdout").evaluate(in: scope) }
    }

    @Test func conditionsMustBeBool() throws {
        #expect(try ExprTest.parse("params.target > 3").evaluateCondition(in: Self.scope) == true)
        let expression = try ExprTest.parse("params.service")
        do {
            _ = try expression.evaluateCondition(in: Self.scope)
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "a condition must be true or false, got a string (\"api\")")
        }
    }

    @Test func secrecyFollowsValuesDerivedFromSecretParams() throws {
        let cases: [(String, Bool)] = [
            ("params.token", true), ("upper(params.token)", true), ("'Bearer ' + params.token", true),
            ("len(params.token) > 3", true), ("[params.token][0]", true), ("params.service", false),
            ("true || params.token == ''", false),
        ]
        for (text, secret) in cases {
            #expect(try ExprTest.parse(text).evaluateTracked(in: Self.scope).isSecret == secret, "\(text)")
        }
    }

    @Test(arguments: [
        (Value.number(3), "3"), (.number(-0.0), "0"), (.number(2.5), "2.5"), (.number(1e20), "1e+20"),
        (.number(-7), "-7"), (.string("é"), "é"), (.null, "null"), (.bool(true), "true"),
        (.object(["b": .number(1), "a": .list([.string("x\n")])]), "{\"a\":[\"x\\n\"],\"b\":1}"),
    ])
    func formatsValuesAsText(_ value: Value, _ text: String) {
        #expect(value.text == text)
    }
}
