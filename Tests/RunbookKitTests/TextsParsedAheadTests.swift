import Foundation
import RunbookBasics
import RunbookTestSupport
import Testing

@testable import RunbookDiagnostics
@testable import RunbookGraph
@testable import RunbookPlaybook

/// A long playbook's texts are parsed on another processor while it compiles
/// (`TextsParsedAhead`): whoever parsed a step, checking must report exactly the same.
@Suite struct TextsParsedAheadTests {
    /// Steps with findings of many kinds in their texts, nested steps, and rollbacks.
    private static func playbook(_ count: Int, command: String = "systemctl restart") -> String {
        var text = """
            runbook: 1
            id: ahead
            title: Ahead
            params:
              svc: {type: string, default: api}
              n: {type: int, default: 2}
              unused: {type: string, default: x}
            recovery:

            """
        for i in 0..<count {
            text += "  - id: s\(i)\n"
            switch i % 8 {
            case 0: text += "    run: \(command) {{ params.svc }}-\(i)\n"
            case 1: text += "    run: echo '{{ params.svc }}' \(i)\n"
            case 2: text += "    run: \(command) {{ params.nope }}\n    when: steps.s\(i - 1).ok\n"
            case 3: text += "    run: echo $(( {{ params.svc }} + 1 ))\n    when: steps.s\(i - 1).ok &&\n"
            case 4: text += "    run: sh -c \"{{ params.svc }}\"\n    expect: exit_code == {{ 1 }}\n"
            case 5:
                text += "    steps:\n      - id: g\(i)\n        run: \(command) {{ params.n }}\n"
                text += "      - id: h\(i)\n        run: echo {{ steps.s\(i + 1).stdout }}\n"
            case 6: text += "    run: \(command) {{ params.svc\n"
            default: text += "    run: cat <<EOF\n      {{ params.svc }}\n      EOF\n"
            }
            // A group has no rollback of its own.
            if i % 8 != 5 { text += "    rollback:\n      run: \(command) {{ params.svc }} {{ steps.s\(i).ok }}\n" }
        }
        return text
    }

    private static func decode(_ text: String) throws -> Playbook {
        try InlinePlaybooks.decode(text)
    }

    /// What checking `playbook` reports, given `ahead` (nil: nothing parsed ahead).
    private static func check(_ playbook: Playbook, ahead: TextsParsedAhead?) -> [Diagnostic] {
        var compiler = GraphCompiler(resolver: { _ in nil })
        compiler.textsAhead = ahead
        guard let graph = compiler.compile(playbook) else { return compiler.diagnostics }
        if let reads = compiler.checkExpressions(graph, nullableOutputs: true) {
            compiler.checkUnusedParams(of: playbook, reads: reads)
        }
        return compiler.diagnostics
    }

    /// Waits until the helper has parsed `count` steps (it parses them all unless checking starts).
    private static func waitUntil(_ ahead: TextsParsedAhead, parsed count: Int) {
        let deadline = Date().addingTimeInterval(20)
        while ahead.parsedCount < count, Date() < deadline { Threads.sleep(seconds: 0.005) }
    }

    @Test func aLongPlaybookChecksAlikeWhenTheHelperParsedEveryStep() throws {
        let playbook = try Self.decode(Self.playbook(400))
        let expected = Self.check(playbook, ahead: nil)
        #expect(expected.count > 200)
        // 400 steps and 100 nested in groups.
        let ahead = try #require(TextsParsedAhead.start(playbook))
        Self.waitUntil(ahead, parsed: 500)
        #expect(ahead.parsedCount == 500)
        #expect(Self.check(playbook, ahead: ahead) == expected)
        // Every step was taken from the helper.
        #expect(ahead.parsedCount == 0)
    }

    @Test func aLongPlaybookChecksAlikeWhereverTheHelperGot() throws {
        let playbook = try Self.decode(Self.playbook(400))
        let expected = Self.check(playbook, ahead: nil)
        for wanted in [0, 1, 37, 200] {
            let ahead = try #require(TextsParsedAhead.start(playbook))
            Self.waitUntil(ahead, parsed: wanted)
            #expect(Self.check(playbook, ahead: ahead) == expected, "after \(wanted)")
        }
        // And as `validate` does it, with the helper running while the playbook compiles.
        for _ in 0..<5 {
            let compiled = GraphCompiler.compile(playbook, resolver: { _ in nil })
            let plain = GraphCompiler.compile(playbook, resolver: { _ in nil }, parseAhead: false)
            #expect(compiled.diagnostics == plain.diagnostics)
        }
    }

    @Test func stepsParsedFromAnotherPlaybookAreNotTaken() throws {
        let playbook = try Self.decode(Self.playbook(400))
        // The same layout with other commands: other steps at the same places.
        let other = try Self.decode(Self.playbook(400, command: "service restart"))
        let ahead = try #require(TextsParsedAhead.start(other))
        Self.waitUntil(ahead, parsed: 500)
        #expect(Self.check(playbook, ahead: ahead) == Self.check(playbook, ahead: nil))
        #expect(ahead.parsedCount == 500)
    }

    @Test func aShortPlaybookStartsNoHelper() throws {
        let playbook = try Self.decode(Self.playbook(TextsParsedAhead.minimumSteps - 1))
        #expect(TextsParsedAhead.start(playbook) == nil)
    }
}
