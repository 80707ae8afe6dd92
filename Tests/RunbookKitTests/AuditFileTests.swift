import Foundation
import RunbookBasics
import RunbookTestSupport
import Synchronization
import Testing

@testable import RunbookAudit

@Suite struct AuditFileTests {
    /// Two writers, each with its own descriptor (so `flock` really serialises them), 1,000 records each.
    @Test func concurrentWritersLeaveOneValidChain() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            do {
                let file = try AuditFile(directory: dir)
                for n in 1...1000 {
                    try file.append(
                        ["event": .string("note"), "run": .string("writer-\(writer)"), "n": .int(n)], key: "k")
                }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        let report = try AuditVerifier(key: nil).verify(path: dir + "/audit.jsonl")
        #expect(report.ok, "\(String(describing: report.problem))")
        #expect(report.records == 2000)
        let records = AuditReader(directory: dir).records()
        #expect(records.map { $0["seq"]?.int } == (1...2000).map { $0 })
        for writer in ["writer-0", "writer-1"] {
            let ns = records.filter { $0["run"]?.string == writer }.map { $0["n"]?.int ?? 0 }
            #expect(ns == Array(1...1000), "\(writer)'s records are missing or out of order")
        }
    }

    @Test func recordsOfNoEffectAreMadeDurableTogetherWithOneFsync() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = try AuditFile(directory: dir)
        file.syncEachRecord = false
        for n in 1...200 {
            try file.append(["event": .string("note"), "run": .string("plan"), "n": .int(n)], key: nil)
        }
        #expect(file.fsyncs == 0)
        try file.sync()
        try file.sync()
        #expect(file.fsyncs == 1, "a second sync with nothing new does not fsync again")
        file.syncEachRecord = true
        try file.append(["event": .string("note"), "run": .string("live")], key: nil)
        #expect(file.fsyncs == 2)
        #expect(try AuditVerifier(key: nil).verify(path: dir + "/audit.jsonl").records == 201)
    }

    /// A plan or rehearsal starts no process: its records wait in memory and are written
    /// together — chained after whatever another writer appended meanwhile — by `sync()`.
    @Test func heldRecordsAreWrittenTogetherAtSyncAfterOtherWriters() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plan = try AuditFile(directory: dir)
        plan.syncEachRecord = false
        plan.holdsRecords = true
        for n in 1...3 {
            #expect(try plan.append(["event": .string("note"), "run": .string("plan"), "n": .int(n)], key: nil) == nil)
        }
        #expect(try String(contentsOfFile: dir + "/audit.jsonl", encoding: .utf8).isEmpty, "held, not written")
        let live = try AuditFile(directory: dir)
        try live.append(["event": .string("note"), "run": .string("live")], key: nil)
        try plan.sync()
        #expect(plan.fsyncs == 1)
        #expect(plan.head?.seq == 4)
        let records = try String(contentsOfFile: dir + "/audit.jsonl", encoding: .utf8)
            .split(separator: "\n").compactMap { JSONValue.parse($0) }
        #expect(records.map { $0["run"]?.string ?? "" } == ["live", "plan", "plan", "plan"])
        #expect(records.map { $0["n"]?.int ?? 0 } == [0, 1, 2, 3])
        #expect(try AuditVerifier(key: nil).verify(path: dir + "/audit.jsonl").records == 4)
    }

    /// A long plan does not keep every record until its end: they go to the file in batches
    /// as it goes (each under one lock, with one `write`), and become durable with one fsync.
    @Test func heldRecordsAreWrittenInBatchesAsThePlanGoesOn() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plan = try AuditFile(directory: dir)
        plan.syncEachRecord = false
        plan.holdsRecords = true
        let count = AuditFile.heldLimit * 2 + 3
        for n in 1...count {
            try plan.append(["event": .string("note"), "run": .string("plan"), "n": .int(n)], key: nil)
        }
        let written = try String(contentsOfFile: dir + "/audit.jsonl", encoding: .utf8).split(separator: "\n").count
        #expect(written == AuditFile.heldLimit * 2, "full batches written, the last 3 still held")
        #expect(plan.fsyncs == 0)
        try plan.sync()
        #expect(plan.fsyncs == 1)
        let records = try String(contentsOfFile: dir + "/audit.jsonl", encoding: .utf8)
            .split(separator: "\n").compactMap { JSONValue.parse($0) }
        #expect(records.map { $0["n"]?.int ?? 0 } == Array(1...count))
        #expect(try AuditVerifier(key: nil).verify(path: dir + "/audit.jsonl").records == count)
    }

    /// A writer that goes away with records still held writes them rather than drop them.
    @Test func heldRecordsAreWrittenWhenTheWriterCloses() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            let plan = try AuditFile(directory: dir)
            plan.holdsRecords = true
            try plan.append(["event": .string("note"), "run": .string("plan")], key: "secret")
        }
        let report = try AuditVerifier(key: "secret").verify(path: dir + "/audit.jsonl")
        #expect(report.records == 1)
        #expect(report.ok)
    }

    @Test func appendReturnsTheHeadItWrote() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = try AuditFile(directory: dir)
        let first = try #require(try file.append(["event": .string("note"), "run": .string("r")], key: nil))
        let second = try #require(try file.append(["event": .string("note"), "run": .string("r")], key: nil))
        #expect(first.seq == 1)
        #expect(second.seq == 2)
        let report = try AuditVerifier(key: nil).verify(path: file.path, expectHead: second)
        #expect(report.ok)
        #expect(report.head?.hash == second.hash)
        var attributes = stat()
        #expect(stat(file.path, &attributes) == 0)
        #expect(attributes.st_mode & 0o777 == 0o600)
    }
}
