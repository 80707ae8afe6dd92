import Foundation
import RunbookBasics
import RunbookTestSupport
import Testing

@testable import RunbookDiagnostics
@testable import RunbookGraph
@testable import RunbookPlaybook
@testable import RunbookYAML

/// Long step lists are decoded and checked in parts on every processor (`Parallel`): nothing
/// found in one part may be lost, and what a user reads must not depend on the parts.
@Suite struct ParallelCheckTests {
    @Test(arguments: [
        (0, 64, 2), (1, 64, 2), (63, 64, 2), (64, 64, 2), (129, 64, 2), (1_000, 64, 2), (1_000, 64, 1),
        (1_000, 1, 8), (7, 1, 8), (100_000, 128, 16),
    ])
    func rangesCoverEveryIndexOnceInOrder(_ c: (count: Int, minimum: Int, processors: Int)) {
        let ranges = Parallel.ranges(c.count, minimum: c.minimum, processors: c.processors).map(\.indices)
        #expect(Array(ranges.joined()) == Array(0..<c.count))
        #expect(ranges.allSatisfy { !$0.isEmpty })
        #expect(ranges.count <= max(1, c.processors * Parallel.partsPerProcessor))
        if ranges.count > 1 { #expect(ranges.allSatisfy { $0.count >= c.minimum }) }
        if c.processors == 1 || c.count < 2 * c.minimum { #expect(ranges.count <= 1) }
    }

    @Test func resultsComeBackInTheOrderOfTheirPartsWhateverOrderTheyEnd() {
        // A pthread mutex (`Locked`), which ThreadSanitizer follows, unlike the standard library's `Mutex`.
        let ended = Locked<[Int]>([])
        let results = Parallel.map(Array(0..<8)) { part in
            // Later parts end first.
            Threads.sleep(seconds: Double(8 - part) * 0.01)
            ended.withLock { $0.append(part) }
            return part * 10
        }
        #expect(results == [0, 10, 20, 30, 40, 50, 60, 70])
        #expect(ended.withLock { $0.sorted() } == Array(0..<8))
    }

    /// A playbook of `count` steps, each a template, a guard on the step before and a rollback;
    /// `extra` adds lines to a step. Returns the text and the line of each marked step.
    private static func longPlaybook(
        count: Int, params: String = "", extra: [Int: String] = [:], guardOf: [Int: String] = [:]
    ) -> String {
        var text =
            "runbook: 1\nid: long\ntitle: Long\nparams:\n  svc: {type: string, default: api}\n\(params)recovery:\n"
        for i in 0..<count {
            text += "  - id: s\(i)\n    run: systemctl restart {{ params.svc }}-\(i)\n"
            if let condition = guardOf[i] {
                text += "    when: \(condition)\n"
            } else if i > 0 {
                text += "    when: steps.s\(i - 1).ok\n"
            }
            if let lines = extra[i] { text += lines }
            text += "    rollback:\n      run: systemctl stop {{ params.svc }}-\(i)\n"
        }
        return text
    }

    private static func line(of needle: String, in text: String) -> Int {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return (lines.firstIndex { $0.contains(needle) } ?? -1) + 1
    }

    @Test func everyStepOfALongListIsDecodedInOrderWithEveryFinding() throws {
        let text = Self.longPlaybook(
            count: 1_000, extra: [3: "    colour: red\n", 500: "    shade: blue\n", 998: "    tint: green\n"])
        let root = try #require(YAML.parse(text, file: "long.yaml").root)
        var decoder = PlaybookDecoder(file: "long.yaml")
        let decoded = decoder.decode(root)
        let playbook = try #require(decoded)
        #expect(playbook.steps(.recovery).map { $0.id?.value } == (0..<1_000).map { "s\($0)" })
        #expect(
            decoder.diagnostics.map { "\($0.location.line) \($0.message)" } == [
                "\(Self.line(of: "colour", in: text)) unknown key 'colour' in a step",
                "\(Self.line(of: "shade", in: text)) unknown key 'shade' in a step",
                "\(Self.line(of: "tint", in: text)) unknown key 'tint' in a step",
            ])
    }

    @Test func aLongPlaybooksStepsAreCheckedAgainstEachOtherAcrossItsParts() throws {
        let text = Self.longPlaybook(
            count: 1_000,
            params: "  last: {type: string, default: x}\n  unused: {type: string, default: y}\n",
            extra: [
                11: "    outputs: {y: stdout}\n",
                640: "    outputs: {x: params.nope}\n",
                700: "    steps:\n      - include: child\n",
                999: "    env: {L: '{{ params.last }}'}\n",
            ],
            guardOf: [10: "steps.s900.ok", 333: "steps.s332.oops", 900: "steps.s11.ok && steps.s11.outputs.y == 'a'"]
        )
        .replacingOccurrences(of: "    run: systemctl restart {{ params.svc }}-700\n", with: "")
        let child = """
            runbook: 1
            id: child
            title: Child
            recovery:
              - {id: c, run: "echo {{ steps.missing.stdout }}"}
            """
        let (_, diagnostics, _) = try InlinePlaybooks.compile(text, others: ["child": child])
        let found = diagnostics.sortedByLocation().map { "\($0.location.file):\($0.location.line) \($0.message)" }
        #expect(
            found == [
                "child.yaml:5 unknown step 'missing'",
                "main.yaml:\(Self.line(of: "unused:", in: text)) param 'unused' is never used",
                "main.yaml:\(Self.line(of: "steps.s900.ok", in: text)) step 's900' does not run before this point, so its result is not available here",
                "main.yaml:\(Self.line(of: "steps.s332.oops", in: text)) unknown field 'oops' of step 's332'",
                "main.yaml:\(Self.line(of: "params.nope", in: text)) unknown param 'nope'",
            ], "\(found)")
    }
}
