import Foundation
import RunbookAudit
import RunbookTestSupport
import Synchronization
import Testing

/// SPEC §3 under stress: runs killed mid-way, torn last lines, and concurrent runs sharing one log.
@Suite struct AuditCrashTests {
    /// `count` steps that each append their id to `./trace`; every 50th also sleeps a little.
    static func manySteps(id: String, count: Int) -> String {
        var text = "runbook: 1\nid: \(id)\ntitle: Many short steps\ndiagnosis:\n"
        for i in 1...count {
            text += "  - id: s\(i)\n    run: echo s\(i) >> trace\(i % 50 == 0 ? "; sleep 0.02" : "")\n"
        }
        return text
    }

    @Test func runsKilledAtRandomMomentsLeaveAVerifiableLogWithEveryStartedStep() throws {
        let ws = try AuditWorkspace()
        defer { ws.remove() }
        let playbook = try ws.playbook("many", Self.manySteps(id: "many", count: 200))
        let clock = ContinuousClock()
        let full = try clock.measure { try #require(try ws.run(["run", playbook]).status == 0) }
        let span = Int(full / .microseconds(1))
        var generator = SystemRandomNumberGenerator()
        for iteration in 1...50 {
            let dir = ws.dir + "/crash-\(iteration)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CLI.binary)
            process.arguments = ["run", playbook, "--audit-dir", dir + "/audit"]
            process.currentDirectoryURL = URL(fileURLWithPath: dir)
            process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("RUNBOOK_") }
                .merging(ws.environment) { _, b in b }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32(Int.random(in: 1_000...max(2_000, span), using: &generator)))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try checkAfterCrash(dir: dir, iteration: iteration)
        }
    }

    /// The log verifies (after `--repair` if, and only if, the last line is torn), and every step
    /// that wrote to the trace has its `step.start` record.
    private func checkAfterCrash(dir: String, iteration: Int) throws {
        let trace = ((try? String(contentsOfFile: dir + "/trace", encoding: .utf8)) ?? "").split(separator: "\n")
        let auditDir = dir + "/audit"
        guard FileManager.default.fileExists(atPath: auditDir + "/audit.jsonl") else {
            #expect(trace.isEmpty, "iteration \(iteration): steps ran without an audit file")
            return
        }
        var verify = try CLI.run(["audit", "verify", "--audit-dir", auditDir], in: dir)
        if verify.status != 0 {
            #expect(verify.stderr.contains("the last line is torn"), "iteration \(iteration): \(verify.stderr)")
            verify = try CLI.run(["audit", "verify", "--repair", "--audit-dir", auditDir], in: dir)
        }
        #expect(verify.status == 0, "iteration \(iteration): \(verify.stderr)")
        let started = Set(
            AuditReader(directory: auditDir).records().filter { $0["event"]?.string == "step.start" }
                .compactMap { $0["step"]?.string })
        let missing = trace.map(String.init).filter { !started.contains($0) }
        #expect(missing.isEmpty, "iteration \(iteration): steps ran without a step.start record: \(missing)")
    }

    @Test func aTornLastLineIsReportedRepairedOnRequestAndRecorded() throws {
        let ws = try AuditWorkspace()
        defer { ws.remove() }
        try ws.playbook("many", Self.manySteps(id: "many", count: 2))
        #expect(try ws.run(["run", "many.yaml"]).status == 0)
        let handle = try #require(FileHandle(forWritingAtPath: ws.auditPath))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"event":"step.st"#.utf8))
        try handle.close()
        let torn = try ws.verify()
        #expect(torn.status == 1)
        #expect(torn.stderr.contains("audit.jsonl:7: error: the last line is torn (17 bytes"), "\(torn.stderr)")
        let repaired = try ws.verify(["--repair"])
        #expect(repaired.status == 0, "\(repaired.stderr)")
        #expect(repaired.stderr.contains("dropped a torn last line of 17 bytes"))
        let last = try #require(try ws.records().last)
        #expect(last["event"]?.string == "audit.repair")
        #expect(last["dropped_bytes"]?.int == 17)
    }

    @Test func aRunAfterACrashCutsTheTornLineAndSaysSoInTheChain() throws {
        let ws = try AuditWorkspace()
        defer { ws.remove() }
        try ws.playbook("many", Self.manySteps(id: "many", count: 2))
        #expect(try ws.run(["run", "many.yaml"]).status == 0)
        let handle = try #require(FileHandle(forWritingAtPath: ws.auditPath))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"half":"#.utf8))
        try handle.close()
        #expect(try ws.run(["run", "many.yaml"]).status == 0)
        #expect(try ws.verify().status == 0)
        #expect(try ws.records().map { $0["event"]?.string ?? "" }.filter { $0 == "audit.repair" }.count == 1)
    }

    @Test func twoRunsAtOnceInterleaveIntoOneValidChain() throws {
        let ws = try AuditWorkspace()
        defer { ws.remove() }
        try ws.playbook("first", Self.manySteps(id: "first", count: 50))
        try ws.playbook("second", Self.manySteps(id: "second", count: 50))
        let statuses = Mutex<[Int32]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let status = (try? ws.run(["run", index == 0 ? "first.yaml" : "second.yaml"]))?.status ?? -1
            statuses.withLock { $0.append(status) }
        }
        #expect(statuses.withLock { $0 } == [0, 0])
        #expect(try ws.verify().status == 0)
        let records = try ws.records()
        #expect(records.map { $0["seq"]?.int ?? 0 } == Array(1...records.count))
        let runs = Dictionary(grouping: records.filter { $0["event"]?.string == "step.end" }) {
            $0["run"]?.string ?? ""
        }
        #expect(runs.count == 2)
        #expect(runs.values.allSatisfy { $0.count == 50 })
    }

    @Test func noStepStartsOnceTheLogCannotBeWritten() throws {
        let ws = try AuditWorkspace()
        defer { ws.remove() }
        try ws.playbook(
            "corrupt",
            """
            runbook: 1
            id: corrupt
            title: A step breaks the log
            diagnosis:
              - id: corrupt
                run: printf 'not a record\\n' >> audit/audit.jsonl
              - id: after
                run: touch ran-after

            """)
        let result = try ws.run(["run", "corrupt.yaml"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("the audit trail could not be written completely"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: ws.dir + "/ran-after"), "a step ran without its record")
    }
}
