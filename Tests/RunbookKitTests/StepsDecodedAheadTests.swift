import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookDiagnostics
@testable import RunbookPlaybook
@testable import RunbookYAML

/// Steps decoded while their file is parsed (`StepsDecodedAhead`) must decode the playbook
/// exactly as decoding them afterwards does: the same steps, the same findings in the same order.
@Suite struct StepsDecodedAheadTests {
    /// Steps of many kinds, some with findings (an unknown key, no action, a bad timeout, a
    /// rollback with an id, a step that is not a mapping), in two phases and a group.
    private static func playbook(_ count: Int, command: String = "restart") -> String {
        var text = "runbook: 1\nid: ahead\ntitle: Ahead\ndiagnosis:\n  - {id: look, run: uptime}\nrecovery:\n"
        for n in 0..<count {
            switch n % 7 {
            case 0: text += "  - id: s\(n)\n    run: \(command) \(n)\n    rollback:\n      run: stop \(n)\n"
            case 1: text += "  - id: s\(n)\n    run: \(command) \(n)\n    colour: blue\n"
            case 2: text += "  - id: s\(n)\n    title: nothing to do\n"
            case 3: text += "  - id: s\(n)\n    run: \(command) \(n)\n    timeout: soon\n"
            case 4: text += "  - id: s\(n)\n    run: \(command) \(n)\n    rollback:\n      id: r\(n)\n      run: stop\n"
            case 5: text += "  - just text \(n)\n"
            default: text += "  - id: s\(n)\n    group:\n      - {id: g\(n), run: \(command) \(n)}\n"
            }
        }
        return text + "verify:\n  - {id: check, run: 'true'}\n"
    }

    /// Decodes `root`, with `ahead` (nil: none) taken for the phase lists.
    private static func decode(_ root: YAML.Node, ahead: StepsDecodedAhead?) -> (Playbook?, [Diagnostic]) {
        var decoder = PlaybookDecoder(file: "f.yaml")
        decoder.decodedAhead = ahead
        let playbook = decoder.decode(root)
        return (playbook, decoder.diagnostics)
    }

    /// The first `limit` items of every top-level list handed to `ahead`, as the parse's waits would.
    private static func work(_ root: YAML.Node, into ahead: StepsDecodedAhead, limit: Int) {
        for pair in root.mapping ?? [] {
            for item in (pair.value.sequence ?? []).prefix(limit) {
                ahead.work(key: pair.key.scalar?.value ?? "", item: item)
            }
        }
    }

    @Test(arguments: [0, 1, 150, 300, 10_000])
    func aPlaybookDecodesAlikeWithAnyNumberOfStepsDecodedAhead(_ limit: Int) throws {
        let root = try #require(YAML.parse(Self.playbook(300), file: "f.yaml", readAhead: false).root)
        let expected = Self.decode(root, ahead: nil)
        #expect(expected.1.count > 100)
        let ahead = StepsDecodedAhead(file: "f.yaml")
        Self.work(root, into: ahead, limit: limit)
        #expect(ahead.decoded["recovery"]?.count ?? 0 == min(limit, 300))
        let decoded = Self.decode(root, ahead: ahead)
        #expect(decoded.0 == expected.0)
        #expect(decoded.1 == expected.1)
    }

    @Test func stepsDecodedFromAnotherTreeAreNotTaken() throws {
        let root = try #require(YAML.parse(Self.playbook(300), file: "f.yaml", readAhead: false).root)
        // The same layout with other commands: equal positions, other steps.
        let other = try #require(
            YAML.parse(Self.playbook(300, command: "reload"), file: "f.yaml", readAhead: false).root)
        let ahead = StepsDecodedAhead(file: "f.yaml")
        Self.work(other, into: ahead, limit: 300)
        let decoded = Self.decode(root, ahead: ahead)
        let expected = Self.decode(root, ahead: nil)
        #expect(decoded.0 == expected.0)
        #expect(decoded.1 == expected.1)
        #expect(decoded.0 != Self.decode(other, ahead: nil).0)
    }

    @Test func aLongPlaybookLoadsAsItDecodesWithoutParsingAhead() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/long.yaml"
        let text = Self.playbook(3_000)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let root = try #require(YAML.parse(text, file: path, readAhead: false).root)
        var plain = PlaybookDecoder(file: path)
        let expected = plain.decode(root)
        for _ in 0..<5 {
            let loaded = PlaybookDecoder.loadPartial(path: path)
            #expect(loaded.playbook == expected)
            #expect(loaded.diagnostics == plain.diagnostics)
        }
    }
}
