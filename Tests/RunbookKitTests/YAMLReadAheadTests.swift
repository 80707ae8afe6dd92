import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookDiagnostics
@testable import RunbookYAML

/// A large input is read ahead on a second thread (`EventParser`): whatever the input, the
/// composed tree and every finding must be what reading on one thread gives, and a composer
/// that stops early must end the reader.
@Suite struct YAMLReadAheadTests {
    private func expectSame(_ bytes: [UInt8], limits: YAML.Limits = YAML.Limits(), _ what: String) {
        let direct = YAML.parse(bytes, file: "f.yaml", limits: limits, readAhead: false)
        let ahead = YAML.parse(bytes, file: "f.yaml", limits: limits, readAhead: true)
        #expect(ahead.root == direct.root, "\(what)")
        #expect(ahead.diagnostics == direct.diagnostics, "\(what)")
        #expect(ahead.isEmpty == direct.isEmpty, "\(what)")
    }

    /// Steps as authors write them, enough of them to fill many batches.
    private static func steps(_ count: Int) -> String {
        (0..<count).map {
            "  - id: s\($0)\n    run: \"systemctl restart {{ params.svc }}-\($0)\"\n    when: steps.s\($0).ok\n"
        }.joined()
    }

    @Test func everyFixtureAndShippedPlaybookComposesAlikeBothWays() throws {
        var files: [String] = []
        for folder in ["yaml", "valid", "invalid", "schema-invalid", "scenarios"] {
            let dir = Fixtures.path(folder)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            files += names.sorted().map { dir + "/" + $0 }
        }
        let shipped = Fixtures.root.appendingPathComponent("playbooks").path
        files += try FileManager.default.contentsOfDirectory(atPath: shipped).sorted().map { shipped + "/" + $0 }
        let yaml = files.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
        #expect(yaml.count > 40)
        for file in yaml {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
            expectSame(bytes, file)
        }
    }

    @Test func aLongPlaybookComposesAlikeBothWays() {
        let text = "runbook: 1\nid: long\ntitle: Long\nrecovery:\n" + Self.steps(3_000)
        let result = YAML.parse(text, file: "f.yaml", readAhead: true)
        #expect(result.diagnostics.isEmpty)
        #expect(result.root?.mapping?.last?.value.sequence?.count == 3_000)
        expectSame(Array(text.utf8), "3,000 steps")
    }

    @Test(arguments: [
        ("a syntax error after many batches", "  - [unclosed\n"),
        ("a second document", "---\nb: 2\n"),
        ("invalid UTF-8", "  - \u{FFFD}\n"),
        ("a duplicate key", "recovery: []\n"),
        ("an unknown alias", "  - *nowhere\n"),
        ("a colon in a plain value", "  - run: echo a: b\n"),
    ])
    func aFindingAtTheEndOfALongInputIsTheSameBothWays(_ c: (what: String, tail: String)) {
        var bytes = Array(("runbook: 1\nid: long\ntitle: Long\nrecovery:\n" + Self.steps(2_000) + c.tail).utf8)
        if c.what == "invalid UTF-8" {
            // A lone continuation byte instead of the replacement character.
            bytes.replaceSubrange((bytes.count - 4)..<(bytes.count - 1), with: [0x80])
        }
        let result = YAML.parse(bytes, file: "f.yaml", readAhead: true)
        #expect(result.diagnostics.hasErrors, "\(c.what)")
        #expect(result.diagnostics.first?.location.line ?? 0 > 6_000, "\(c.what): \(result.diagnostics)")
        expectSame(bytes, c.what)
    }

    /// Tags, anchors, aliases and a NUL byte, many batches in: each text is copied out of
    /// libyaml on the reader's thread and made a string on the composer's.
    @Test func textsOfEveryKindCrossFromTheReaderIntact() throws {
        let tail =
            "  - &first !!str tagged\n  - *first\n  - !custom {run: \"a\\0b\", when: ''}\n"
            + "  - &list !!seq [x, y]\n  - *list\n  - &map !!map {k: v}\n"
        let bytes = Array(("runbook: 1\nid: long\ntitle: Long\nrecovery:\n" + Self.steps(2_000) + tail).utf8)
        let result = YAML.parse(bytes, file: "f.yaml", readAhead: true)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let items = try #require(result.root?.mapping?.last?.value.sequence)
        let last = Array(items.suffix(6))
        #expect(last[0].scalar?.value == "tagged")
        #expect(last[0].tag == "tag:yaml.org,2002:str")
        #expect(last[1].scalar?.value == "tagged")
        #expect(last[2].tag == "!custom")
        #expect(last[2].mapping?.first?.value.scalar?.value == "a\u{0}b")
        #expect(last[2].mapping?.last?.value.scalar?.value == "")
        #expect(last[3].tag == "tag:yaml.org,2002:seq")
        #expect(last[4].sequence?.compactMap { $0.scalar?.value } == ["x", "y"])
        #expect(last[5].mapping?.first?.key.scalar?.value == "k")
        expectSame(bytes, "texts of every kind")
    }

    @Test func aComposerThatStopsEarlyEndsTheReaderAhead() throws {
        // Too deep at the start of a long input: the composer stops at once, with the reader
        // batches ahead and waiting for room.
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300) + "\n"
        let text = "a: " + deep + "b:\n" + Self.steps(20_000)
        for _ in 0..<20 {
            let result = YAML.parse(text, file: "f.yaml", readAhead: true)
            #expect(result.diagnostics.map(\.message) == ["nesting is deeper than 256 levels"])
        }
        expectSame(Array(text.utf8), "too deep")
        // An alias bomb stops it too.
        let bomb =
            try Fixtures.text("yaml/alias-bomb.yaml") + "# " + String(repeating: "padding ", count: 20_000) + "\n"
        let limits = YAML.Limits(maxAliasNodes: 1_000)
        let stopped = YAML.parse(bomb, file: "f.yaml", limits: limits, readAhead: true)
        #expect(stopped.diagnostics.map(\.message) == ["aliases expand to more than 1000 nodes"])
        expectSame(Array(bomb.utf8), limits: limits, "alias bomb")
    }

    /// Records the items it is offered.
    private final class Recorder: YAML.ItemWork {
        var offered: [(key: String, item: YAML.Node)] = []
        func work(key: String, item: YAML.Node) { offered.append((key, item)) }
    }

    /// A long playbook with three top-level lists, nested lists inside their items, and a
    /// mapping between them.
    private static let threeLists =
        "runbook: 1\nid: long\ntitle: Long\ndiagnosis:\n" + steps(500)
        + "params:\n  svc: {type: string}\nrecovery:\n"
        + (0..<3_000).map { "  - id: r\($0)\n    run: restart \($0)\n    rollback: [{run: stop \($0)}]\n" }.joined()
        + "tags: [a, b]\n"

    /// Checks that what `recorder` was offered are items of `root`'s top-level lists: each list's
    /// from its first, one by one, the very nodes of the tree, lists in document order.
    private func expectOfferedItems(_ recorder: Recorder, of root: YAML.Node?) {
        let pairs = root?.mapping ?? []
        var lists: [String: [YAML.Node]] = [:]
        for pair in pairs { if let items = pair.value.sequence { lists[pair.key.scalar?.value ?? ""] = items } }
        var next: [String: Int] = [:]
        for (key, item) in recorder.offered {
            let index = next[key, default: 0]
            let items = lists[key] ?? []
            #expect(index < items.count && items[index].isSameNode(as: item), "\(key) #\(index)")
            next[key] = index + 1
        }
        // Once the next list's items are offered, no earlier list's are.
        let order = pairs.compactMap { $0.key.scalar?.value }
        let positions = recorder.offered.map { offered in order.firstIndex(of: offered.key) ?? -1 }
        #expect(positions == positions.sorted())
    }

    @Test func itemsOfTopLevelListsAreOfferedOnceInDocumentOrderAsTheVeryItemsOfTheTree() {
        let plain = YAML.parse(Self.threeLists, file: "f.yaml", readAhead: true)
        // What is offered depends on when the composer waits: whatever it was, it holds.
        for _ in 0..<10 {
            let recorder = Recorder()
            let result = YAML.parse(Self.threeLists, file: "f.yaml", readAhead: true, itemWork: recorder)
            #expect(result.root == plain.root)
            #expect(result.diagnostics == plain.diagnostics)
            expectOfferedItems(recorder, of: result.root)
        }
    }

    @Test func itemsAreOfferedWhileLibyamlReadsALongStretchWithoutEvents() {
        // More items than the batches the reader may hold ahead, then megabytes of comments
        // before the next events: the composer catches up with the reader, which then scans the
        // comments for a long time without handing anything over.
        let ahead = EventParser.batchSize * EventParser.batchesAhead
        let comments = String(repeating: "# " + String(repeating: "x", count: 77) + "\n", count: 100_000)
        let text =
            "recovery:\n" + (0..<(2 * ahead)).map { "  - step \($0)\n" }.joined() + comments
            + (0..<300).map { "  - more \($0)\n" }.joined()
        let recorder = Recorder()
        let result = YAML.parse(text, file: "f.yaml", readAhead: true, itemWork: recorder)
        #expect(result.diagnostics.isEmpty)
        #expect(result.root?.mapping?.first?.value.sequence?.count == 2 * ahead + 300)
        expectOfferedItems(recorder, of: result.root)
        // An instrumented build composes too slowly to be sure of waiting.
        let sanitized = dlsym(nil, "__asan_init") != nil || dlsym(nil, "__tsan_init") != nil
        #expect(!recorder.offered.isEmpty || sanitized)
    }

    @Test func nothingIsOfferedWhenTheInputIsNotReadAhead() {
        let recorder = Recorder()
        let result = YAML.parse(Self.threeLists, file: "f.yaml", readAhead: false, itemWork: recorder)
        #expect(result.diagnostics.isEmpty)
        #expect(recorder.offered.isEmpty)
    }
}
