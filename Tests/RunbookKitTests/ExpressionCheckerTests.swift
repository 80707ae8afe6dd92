import Testing

@testable import RunbookDiagnostics
@testable import RunbookExpression
@testable import RunbookPlaybook

@Suite struct ExpressionCheckerTests {
    static let context = ExpressionContext(
        params: ["service": .string, "target": .number, "pool_id": .string, "dry": .bool, "anything": .any],
        steps: [
            "cpu": .before, "health": .before, "restart_service": .otherBranch, "verify": .notBefore, "me": .notBefore,
        ],
        stepOutputs: ["cpu": ["load", "cores"], "health": []],
        ownResult: false, currentStep: "me")

    /// One finding: severity, line:column, message and hint.
    struct Finding: Equatable, CustomStringConvertible {
        var severity: Diagnostic.Severity
        var column: Int
        var message: String
        var hint: String?
        var description: String { "\(severity) 1:\(column) \(message) [\(hint ?? "-")]" }
    }

    private func findings(_ text: String, _ usage: ExpressionChecker.Usage = .value, own: Bool = false) throws
        -> [Finding]
    {
        var context = Self.context
        context.ownResult = own
        let diagnostics = ExpressionChecker(context: context).check(try ExprTest.parse(text), as: usage)
        return diagnostics.map {
            #expect($0.location.line == 1)
            return Finding(severity: $0.severity, column: $0.location.column, message: $0.message, hint: $0.hint)
        }
    }

    /// Each processor's part of a check copies a context of its own (`rehomed()`): it must
    /// answer every question as the context it came from, for fixed and computed visibilities.
    @Test func aRehomedContextAnswersAsTheOriginal() throws {
        var computed = ExpressionContext(
            params: ["service": .string, "count": .number],
            steps: StepVisibilities(
                positions: [
                    "a": .init(index: 0, branch: []), "b": .init(index: 1, branch: [.init(choose: "c", option: "x")]),
                    "d": .init(index: 3, branch: [.init(choose: "c", option: "y")]), "e": .init(index: 4, branch: []),
                ], site: .init(index: 2, branch: [.init(choose: "c", option: "x")])),
            stepOutputs: ["a": ["load"]], ownResult: true, currentStep: "me")
        computed.plainWordParams = ["service"]
        computed.steps.atRollback = true
        computed.loop = true
        for original in [Self.context, computed] {
            let copy = original.rehomed()
            #expect(copy.params == original.params)
            #expect(copy.stepOutputs == original.stepOutputs)
            #expect(copy.plainWordParams == original.plainWordParams)
            #expect(
                (copy.ownResult, copy.ownOutputs, copy.loop) == (original.ownResult, original.ownOutputs, original.loop)
            )
            #expect(copy.currentStep == original.currentStep)
            #expect(copy.steps.ids.sorted() == original.steps.ids.sorted())
            for id in original.steps.ids + ["missing"] { #expect(copy.steps[id] == original.steps[id]) }
            for text in [
                "params.service", "steps.a.outputs.load", "steps.b.ok", "steps.d.stdout", "steps.cpu.outputs.x",
            ] {
                let expression = try ExprTest.parse(text)
                #expect(
                    ExpressionChecker(context: copy).check(expression, as: .value).map(\.description)
                        == ExpressionChecker(context: original).check(expression, as: .value).map(\.description))
            }
        }
        // Setting a table of a copy leaves the original's as it was.
        var changed = computed.rehomed()
        changed.params["extra"] = .bool
        #expect(computed.params["extra"] == nil)
        #expect(changed.params["extra"] == .bool)
    }

    @Test(arguments: [
        "params.service == 'x' && params.target > 3",
        "params.pool_id != null",
        "steps.cpu.ok && steps.cpu.exit_code == 0 && number(steps.cpu.stdout) > 80",
        "steps.cpu.outputs.load > 1",
        "steps.restart_service.status == 'ok'",
        "!steps.restart_service.ok",
        "contains(env.PATH, '/usr') || 'a' in ['a']",
        "json(steps.health.stdout).status == 'ok'",
        "matches(steps.cpu.stdout, '^[0-9]+$')",
        "default(params.anything, 3) + 1 > 2",
        "len(lines(steps.cpu.stdout)) >= 1",
    ])
    func acceptsValidExpressions(_ text: String) throws {
        #expect(try findings(text, .condition) == [])
    }

    @Test func acceptsOwnResultInsideTheStepsOwnChecks() throws {
        #expect(
            try findings(
                "exit_code == 0 && contains(stdout, 'ok') && duration < 5 && stderr == ''", .condition, own: true) == []
        )
    }

    @Test(arguments: [
        (
            "params.servce == 'x'",
            Finding(severity: .error, column: 8, message: "unknown param 'servce'", hint: "did you mean 'service'?")
        ),
        (
            "params.zzzzzz",
            Finding(
                severity: .error, column: 8, message: "unknown param 'zzzzzz'",
                hint: "known params: anything, dry, pool_id, service, target")
        ),
        (
            "steps.cpux.ok",
            Finding(severity: .error, column: 7, message: "unknown step 'cpux'", hint: "did you mean 'cpu'?")
        ),
        (
            "steps.verify.ok",
            Finding(
                severity: .error, column: 7,
                message: "step 'verify' does not run before this point, so its result is not available here",
                hint: "refer only to steps that come earlier, or move this check after 'verify'")
        ),
        (
            "steps.me.stdout",
            Finding(
                severity: .error, column: 7, message: "step 'me' refers to its own result through steps.me",
                hint:
                    "use the bare names exit_code, stdout, stderr or duration in the step's own expect, until and outputs"
            )
        ),
        (
            "steps.restart_service.stdout",
            Finding(
                severity: .warning, column: 7,
                message: "step 'restart_service' is in another option of a choose and may not have run here",
                hint: "check steps.restart_service.ok first, or use default(steps.restart_service.stdout, fallback)")
        ),
        (
            "steps.cpu.exitcode",
            Finding(
                severity: .error, column: 11, message: "unknown field 'exitcode' of step 'cpu'",
                hint: "did you mean 'exit_code'?")
        ),
        (
            "steps.cpu.outputs.lod",
            Finding(
                severity: .error, column: 19, message: "step 'cpu' has no output 'lod'",
                hint: "did you mean 'load'?")
        ),
        (
            "steps.health.outputs.x",
            Finding(
                severity: .error, column: 22, message: "step 'health' declares no outputs",
                hint: "add outputs: {x: EXPR} to step 'health'")
        ),
        (
            "stdout",
            Finding(
                severity: .error, column: 1,
                message: "'stdout' is only available in a step's own expect, until and outputs",
                hint: "refer to another step's result as steps.ID.stdout")
        ),
        (
            "lenght('x')",
            Finding(severity: .error, column: 1, message: "unknown function 'lenght'", hint: "did you mean 'len'?")
        ),
        (
            "startswith('a', 'b')",
            Finding(
                severity: .error, column: 1, message: "unknown function 'startswith'",
                hint: "did you mean 'startsWith'?")
        ),
        (
            "len('a', 'b')",
            Finding(severity: .error, column: 1, message: "len() takes 1 argument, got 2", hint: "write len(x)")
        ),
        (
            "contains('a')",
            Finding(
                severity: .error, column: 1, message: "contains() takes 2 arguments, got 1",
                hint: "write contains(haystack, needle)")
        ),
        (
            "serivce",
            Finding(
                severity: .error, column: 1, message: "unknown name 'serivce'",
                hint:
                    "names start with params., env. or steps.; bare exit_code, stdout, stderr and duration mean the step's own result; strings need quotes"
            )
        ),
        (
            "service",
            Finding(
                severity: .error, column: 1, message: "unknown name 'service'", hint: "did you mean 'params.service'?")
        ),
        (
            "\"a\" > 3",
            Finding(
                severity: .error, column: 5, message: "cannot compare a string with a number using '>'",
                hint: "convert the text with number(...), e.g. number(stdout) > 80")
        ),
        (
            "params.service < params.target",
            Finding(
                severity: .error, column: 16,
                message: "cannot compare a string with a number using '<'",
                hint: "convert the text with number(...), e.g. number(stdout) > 80")
        ),
        (
            "params.target == 'ten'",
            Finding(
                severity: .error, column: 15,
                message: "cannot compare a number with a string using '=='",
                hint: "convert the text with number(...), e.g. number(stdout) > 80")
        ),
        (
            "len(5)",
            Finding(
                severity: .error, column: 5, message: "len() cannot take a number as argument 1",
                hint: "len(x) works on string, list, object")
        ),
        (
            "lower(params.target)",
            Finding(
                severity: .error, column: 7, message: "lower() cannot take a number as argument 1",
                hint: "convert with string(...) first; lower(x) works on text")
        ),
        (
            "!\"x\"",
            Finding(
                severity: .error, column: 1, message: "'!' needs true or false, got a string",
                hint: "compare the value first, e.g. !(x == \"\")")
        ),
        (
            "params.dry && 1",
            Finding(
                severity: .error, column: 12, message: "'&&' needs true or false on both sides, got a number",
                hint: "compare the value first, e.g. x != null or x == \"yes\"")
        ),
        (
            "'a' + 1",
            Finding(
                severity: .error, column: 5, message: "'+' cannot combine a string and a number",
                hint: "convert with string(...) to join text, or number(...) to add")
        ),
        (
            "-'a'",
            Finding(
                severity: .error, column: 1, message: "'-' needs a number, got a string",
                hint: "convert with number(...)")
        ),
        (
            "1 in 5",
            Finding(
                severity: .error, column: 3,
                message: "'in' needs a list, a string or an object on the right, got a number", hint: nil)
        ),
        (
            "params.service.name",
            Finding(
                severity: .error, column: 15, message: "a string has no member 'name'",
                hint: "parse JSON text first, e.g. json(stdout).name")
        ),
        (
            "matches(params.service, '([a-z]+')",
            Finding(
                severity: .error, column: 25,
                message: "invalid regular expression: \"([a-z]+\"",
                hint:
                    "the pattern uses ICU/PCRE syntax without lookbehind; escape a literal backslash as \\\\ inside quotes"
            )
        ),
        (
            "match(params.service, '(?<=v)[0-9]+')",
            Finding(
                severity: .error, column: 23, message: "invalid regular expression: \"(?<=v)[0-9]+\"",
                hint:
                    "the pattern uses ICU/PCRE syntax without lookbehind; escape a literal backslash as \\\\ inside quotes"
            )
        ),
        (
            "match('x', '[')",
            Finding(
                severity: .error, column: 12, message: "invalid regular expression: \"[\"",
                hint:
                    "the pattern uses ICU/PCRE syntax without lookbehind; escape a literal backslash as \\\\ inside quotes"
            )
        ),
    ])
    func reportsEachProblemAtItsPosition(_ text: String, _ expected: Finding) throws {
        #expect(try findings(text) == [expected])
    }

    @Test func conditionsMustBeBool() throws {
        #expect(
            try findings("params.service", .condition) == [
                Finding(
                    severity: .error, column: 1,
                    message: "a condition must be true or false, but this expression gives a string",
                    hint: "compare the value, e.g. stdout != \"\" or params.NAME != null")
            ])
        #expect(try findings("params.anything", .condition) == [])
    }

    @Test func reportsEveryProblemNotJustTheFirst() throws {
        let found = try findings("params.nope > 1 && steps.nope.ok && nofn(1)")
        #expect(found.map(\.column) == [8, 26, 37])
    }

    @Test func checksPositionsInsideAMultiLineSource() throws {
        let positions = ScalarPositions(
            file: "p.yaml",
            segments: [
                .init(valueOffset: 0, line: 12, column: 9), .init(valueOffset: 16, line: 13, column: 9),
            ])
        let expression = try Expression(parsing: SourceText("steps.cpu.ok &&\nsteps.verify.ok", positions: positions))
        let found = ExpressionChecker(context: Self.context).check(expression)
        #expect(found.map(\.location) == [SourceLocation(file: "p.yaml", line: 13, column: 15)])
    }
}
