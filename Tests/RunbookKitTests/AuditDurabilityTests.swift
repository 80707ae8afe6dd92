import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookAudit
@testable import RunbookBasics
@testable import RunbookEffects
@testable import RunbookEngine
@testable import RunbookEvents
@testable import RunbookProcess

/// Group commit: one fsync per step, and never a command started while a record is only in memory.
@Suite struct AuditDurabilityTests {
    private let playbook = """
        runbook: 1
        id: durable
        title: Durable
        recovery:
          - {id: a, run: "true"}
          - {id: skipped, run: "true", when: "false"}
          - {id: b, run: "true", rollback: {run: "true"}}
          - {id: c, run: "false"}
        """

    @Test func everyRecordIsOnDiskBeforeACommandStartsWithOneFsyncPerStep() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = try AuditFile(directory: dir)
        let log = AuditLog(file: file, runID: "r1", secrets: [], key: nil, context: [:])
        let effects = ScriptedEffects(outcomes: ["c": [.init(exitCode: 1)]])
        var unsyncedAtStart: [String] = []
        effects.onExecute = { command in
            let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? -1
            if file.durableLength != size { unsyncedAtStart.append(command.stepID) }
        }
        let compiled = try InlinePlaybooks.compile(playbook)
        let graph = try #require(compiled.graph, "\(compiled.diagnostics)")
        let finished = Engine(
            graph: graph, params: ResolvedParams(values: [:], secretNames: []), options: RunOptions(), effects: effects,
            observer: log
        ).run()

        #expect(finished.outcome == RunOutcome.rolledBack)
        #expect(effects.executed.map(\.stepID) == ["a", "b", "c", "b.rollback"])
        #expect(unsyncedAtStart.isEmpty, "commands started with records not yet on disk: \(unsyncedAtStart)")
        // Three step.start, one rollback.start, run.end: run.start, the ends, the skip and the
        // rollback's end ride along with the next of these.
        #expect(file.fsyncs == 5)
        let size = try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int
        #expect(file.durableLength == size, "the run's end leaves nothing unsynced")
        #expect(try AuditVerifier(key: nil).verify(path: file.path).records == 11)
    }

    /// A plan's records are built on another thread while the engine plans on: by the time the
    /// run has ended and its failure is read, every event is in the file, in order, chained, with
    /// one fsync for them all.
    @Test func aPlanRecordsEveryEventInOrderFromAnotherThread() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = try AuditFile(directory: dir)
        let log = AuditLog(file: file, runID: "plan", secrets: [], key: "k", context: [:])
        log.holdRecords()
        let steps = (0..<300).map { "  - {id: s\($0), run: \"echo \($0)\"}\n" }.joined()
        let compiled = try InlinePlaybooks.compile("runbook: 1\nid: long\ntitle: Long\nrecovery:\n" + steps)
        let graph = try #require(compiled.graph, "\(compiled.diagnostics)")
        let finished = Engine(
            graph: graph, params: ResolvedParams(values: [:], secretNames: []), options: RunOptions(mode: .dryRun),
            effects: DryRunEffects(), observer: log
        ).run()
        #expect(finished.outcome == RunOutcome.planned)
        #expect(log.failure == nil)
        let records = try String(contentsOfFile: file.path, encoding: .utf8)
            .split(separator: "\n").compactMap { JSONValue.parse($0) }
        let expected =
            ["run.start"] + (0..<300).flatMap { _ in ["step.start", "step.end"] } + ["run.end"]
        #expect(records.map { $0["event"]?.string ?? "" } == expected)
        #expect(records.compactMap { $0["step"]?.string }.enumerated().allSatisfy { $1 == "s\($0 / 2)" })
        #expect(file.fsyncs == 1)
        #expect(log.head?.seq == expected.count)
        #expect(try AuditVerifier(key: "k").verify(path: file.path).records == expected.count)
    }

    @Test func aRecordWrittenWithoutDurabilityIsSyncedByTheNextDurableOne() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = try AuditFile(directory: dir)
        for n in 1...3 {
            try file.append(["event": .string("note"), "run": .string("r"), "n": .int(n)], key: nil, durable: false)
        }
        #expect(file.fsyncs == 0)
        try file.append(["event": .string("step.start"), "run": .string("r")], key: nil)
        #expect(file.fsyncs == 1)
        let size = try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int
        #expect(file.durableLength == size)
    }

    @Test func theLiveRunMakesItsRecordsDurableBeforeItWaits() {
        let effects = LiveEffects(terminal: nil, interruption: Interruption()) { _, _, _ in }
        var syncs = 0
        effects.beforeWaiting = { syncs += 1 }
        _ = effects.sleep(TimeSpan(milliseconds: 1))
        #expect(syncs == 1, "a retry's delay or a wait starts with the records on disk")
    }
}
