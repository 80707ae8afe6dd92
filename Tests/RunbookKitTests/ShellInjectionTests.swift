import Foundation
import Testing

@testable import RunbookBasics
@testable import RunbookExpression
@testable import RunbookProcess

/// Every context a template can stand in within a `run` command, every hostile value, through a
/// real `/bin/sh` (dash) and `bash`: each value arrives byte for byte, or the context is refused.
@Suite struct ShellInjectionTests {
    /// A command with `{{ params.x }}` in one context, and what it prints for a value.
    struct Context: Sendable, CustomTestStringConvertible {
        var name: String
        var command: String
        var expected: @Sendable (String) -> String
        var testDescription: String { name }

        init(_ name: String, _ command: String, _ expected: @escaping @Sendable (String) -> String = { $0 }) {
            self.name = name
            self.command = command
            self.expected = expected
        }
    }

    static let contexts: [Context] = [
        Context("outside quotes", "printf %s {{ params.x }}"),
        Context("outside quotes, inside a word", "printf %s x{{ params.x }}y", { "x\($0)y" }),
        Context("inside double quotes", #"printf %s "{{ params.x }}""#),
        Context("inside double quotes with text", #"printf %s "<{{ params.x }}> it's""#, { "<\($0)> it's" }),
        Context("heredoc body", "cat <<EOF\n{{ params.x }}\nEOF", { $0 + "\n" }),
        Context("heredoc body with <<-", "cat <<-END\n\t[{{ params.x }}]\n\tEND", { "[\($0)]\n" }),
        Context("heredoc inside $(…)", "v=$(cat <<EOF\n{{ params.x }}.\nEOF\n)\nprintf %s \"${v%.}\""),
        Context("$(…)", #"v=$(printf %s {{ params.x }}; echo .); printf %s "${v%.}""#),
        Context("$(…) inside double quotes", #"v="$(printf %s "{{ params.x }}"; echo .)"; printf %s "${v%.}""#),
        Context("backticks", #"v=`printf %s {{ params.x }}; echo .`; printf %s "${v%.}""#),
        Context("assignment", #"v={{ params.x }}; printf %s "$v""#),
        Context("case subject", "case {{ params.x }} in *) printf %s {{ params.x }};; esac"),
        Context("subshell in a pipeline", "( printf %s {{ params.x }} ) | cat"),
        Context("argument after sh -c's script", #"sh -c 'printf %s "$1"' sh {{ params.x }}"#),
        Context("after a comment line", "# {{ params.x }}\nprintf %s {{ params.x }} # {{ params.x }}"),
    ]

    static let payloads: [String] = [
        "plain", "it's", "'", "''", "'\\''", "a b  c", "$(touch pwned)", "`touch pwned`", "'$(touch pwned)'",
        "\"$(touch pwned)\"", "\"; touch pwned; \"", "x; touch pwned", "x | touch pwned", "x && touch pwned",
        "x\ntouch pwned", "line1\nline2\n", "\n", "\r\n", "*", "./*", "?", "[ab]*", "$HOME", "${HOME}",
        "${HOME:+x}", "$((1+1))", "a[$(touch pwned)]", "~", "~/x", "a\\b", "\\", "\\'", "\\$(touch pwned)", "\\\"",
        "\"", "`", "$", "", " ", "\t", "é🚀 中文", "e\u{301}'", "'\u{301}; touch pwned; '\u{301}", "#comment", "-n",
        "--", "%s%s", "> pwned", "< /etc/passwd", "&", "!", "{a,b}", "EOF", "\nEOF\ntouch pwned\n", "END",
        String(repeating: "a$(touch pwned)'\"`\\ \n", count: 5_000),
    ]

    static let shells = ["/bin/sh", "/bin/bash"]

    private let runner = ProcessRunner(terminationGrace: TimeSpan(milliseconds: 200))

    /// Renders `command` with `params.x = value` and runs it with `shell` in `directory`.
    private func run(_ command: String, value: Value, shell: String, in directory: String) throws -> ProcessOutcome {
        let template = try Template(parsing: ExprTest.source(command), mode: .shell)
        let rendered = try template.render(in: ExpressionScope(params: ["x": value, "n": .number(3)]))
        let request = ProcessRequest(
            argv: [shell, "-c", rendered.real],
            environment: ["PATH": "/usr/bin:/bin"].merging(rendered.variables) { $1 }, workingDirectory: directory,
            timeout: .seconds(20))
        return runner.run(request)
    }

    private func makeDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-inj-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for name in ["alpha", "beta"] { _ = FileManager.default.createFile(atPath: dir + "/" + name, contents: nil) }
        return dir
    }

    @Test(arguments: contexts, shells)
    func everyValueArrivesByteForByteAndRunsNothing(_ context: Context, _ shell: String) throws {
        let dir = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for payload in Self.payloads {
            let outcome = try run(context.command, value: .string(payload), shell: shell, in: dir)
            #expect(outcome.exitCode == 0, "\(shell): \(context.command) with \(payload.debugDescription)")
            #expect(
                outcome.stdout.text == context.expected(payload),
                "\(shell): \(context.command) with \(payload.debugDescription)")
            #expect(!FileManager.default.fileExists(atPath: dir + "/pwned"), "\(payload.debugDescription) ran")
        }
    }

    @Test(arguments: shells)
    func listValuesBecomeSeparateWordsOutsideQuotesAndOneWordInside(_ shell: String) throws {
        let dir = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let list = Value.list([.string("a b"), .string("$(touch pwned)"), .string("*"), .number(3)])
        let outside = try run("printf '<%s>' {{ params.x }}", value: list, shell: shell, in: dir)
        #expect(outside.stdout.text == "<a b><$(touch pwned)><*><3>")
        let inside = try run(#"printf '<%s>' "{{ params.x }}""#, value: list, shell: shell, in: dir)
        #expect(inside.stdout.text == "<a b $(touch pwned) * 3>")
        #expect(!FileManager.default.fileExists(atPath: dir + "/pwned"))
    }

    /// Each context where no value can be passed safely, as `validate` reports it and as rendering refuses it.
    static let unsafe: [(command: String, context: ShellContext)] = [
        ("echo '{{ params.x }}'", .singleQuoted),
        ("echo $'{{ params.x }}'", .singleQuoted),
        ("sh -c 'echo {{ params.x }}'", .singleQuoted),
        ("cat <<'EOF'\n{{ params.x }}\nEOF", .quotedHeredoc),
        ("cat <<\"EOF\"\n{{ params.x }}\nEOF", .quotedHeredoc),
        ("cat <<\\EOF\n{{ params.x }}\nEOF", .quotedHeredoc),
        ("echo $(( {{ params.x }} + 1 ))", .arithmetic),
        ("(( {{ params.x }} > 1 ))", .arithmetic),
        ("echo $(( $(echo {{ params.x }}) ))", .arithmetic),
        ("echo ${HOME:-{{ params.x }}}", .parameterExpansion),
        ("echo \\{{ params.x }}", .escaped),
        ("echo \"\\{{ params.x }}\"", .escaped),
        ("echo ${{ params.x }}", .afterDollar),
        ("echo \"`echo {{ params.x }}`\"", .backticksInQuotes),
        ("cat <<{{ params.x }}\nx\n", .heredocDelimiter),
    ]

    @Test(arguments: unsafe.map(\.command))
    func unsafeContextsRefuseAString(_ command: String) throws {
        let expected = try #require(Self.unsafe.first { $0.command == command }).context
        let template = try Template(parsing: ExprTest.source(command), mode: .shell)
        #expect(template.shellSlots.first?.context == expected)
        #expect(throws: EvaluationError.self) {
            try template.render(in: ExpressionScope(params: ["x": .string("a[$(touch pwned)]")]))
        }
        let raw = try Template(
            parsing: ExprTest.source(command.replacingOccurrences(of: "{{ params.x }}", with: "{{ raw(params.x) }}")),
            mode: .shell)
        #expect(try raw.render(in: ExpressionScope(params: ["x": .string("v")])).real.contains("v"))
    }

    @Test(arguments: [
        "[[ {{ params.x }} -gt 1 ]]", "let n={{ params.x }}", "declare -i n={{ params.x }}",
        "echo $(( {{ params.x }} ))",
    ])
    func arithmeticTakesNumbersButNotText(_ command: String) throws {
        let template = try Template(parsing: ExprTest.source(command), mode: .shell)
        #expect(template.shellSlots.first?.needsNumber == true)
        #expect(throws: EvaluationError.self) {
            try template.render(in: ExpressionScope(params: ["x": .string("a[$(touch pwned)]")]))
        }
        let dir = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outcome = try run(command, value: .number(3), shell: "/bin/bash", in: dir)
        #expect(outcome.exitCode == 0, "\(outcome.stderr.text)")
    }

    @Test func aValueWithNULIsRefusedNotCut() throws {
        let template = try Template(parsing: ExprTest.source(#"printf %s "{{ params.x }}""#), mode: .shell)
        #expect {
            try template.render(in: ExpressionScope(params: ["x": .string("a\0; touch pwned")]))
        } throws: { error in
            (error as? EvaluationError)?.message == "the value contains a NUL character, which no command can receive"
        }
    }

    /// The displayed command is one a person can paste into a shell and get the same result.
    @Test(arguments: contexts.prefix(6))
    func displayedCommandIsEquivalentToTheOneThatRuns(_ context: Context) throws {
        let dir = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for payload in Self.payloads {
            let template = try Template(parsing: ExprTest.source(context.command), mode: .shell)
            let display = try template.render(in: ExpressionScope(params: ["x": .string(payload)])).display
            let outcome = runner.run(
                ProcessRequest(
                    argv: ["/bin/sh", "-c", display], environment: ["PATH": "/usr/bin:/bin"], workingDirectory: dir))
            // A value line that reads as the heredoc's delimiter is shown escaped: safe to paste, not equal.
            let closesHeredoc = payload.split(separator: "\n").contains { ["EOF", "END"].contains($0) }
            if !(closesHeredoc && context.command.contains("<<")) {
                #expect(outcome.stdout.text == context.expected(payload), "\(display)")
            }
            #expect(!FileManager.default.fileExists(atPath: dir + "/pwned"), "\(display)")
        }
    }
}
