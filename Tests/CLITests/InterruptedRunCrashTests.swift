import Foundation
import RunbookAudit
import RunbookBasics
import RunbookTestSupport
import Testing

/// README "Interrupted runs" under stress: runs killed with SIGKILL at random moments, each
/// followed by `resume` or `rollback`. Each iteration has its own audit trail (reading back a
/// trail of thousands of records is a cost of its own, measured by scripts/bench, not here).
@Suite struct InterruptedRunCrashTests {
    static let steps = 20

    /// Mutating steps that append their id to `./trace`, each undone by appending `undo-ID`.
    static var playbook: String {
        var text = "runbook: 1\nid: loop\ntitle: Crash loop\nrecovery:\n"
        for i in 1...steps {
            text += "  - id: s\(i)\n    run: echo s\(i) >> trace\(i % 5 == 0 ? "; sleep 0.01" : "")\n"
            text += "    rollback: { run: echo undo-s\(i) >> trace }\n"
        }
        return text
    }

    @Test func killedRunsResumedOrRolledBackLeaveOneValidChainWithEveryStartedStepAccountedFor() throws {
        let ws = try AuditWorkspace()
        defer { ws.remove() }
        let playbook = try ws.playbook("loop", Self.playbook)
        let clock = ContinuousClock()
        let full = try clock.measure {
            try #require(
                try CLI.run(
                    ["run", playbook, "--yes", "--audit-dir", ws.dir + "/probe"], in: ws.dir,
                    environment: ws.environment
                ).status == 0)
        }
        let span = Int(full / .microseconds(1))
        var generator = SystemRandomNumberGenerator()
        var counts = (killed: 0, resumed: 0, rolledBack: 0, started: 0, accounted: 0, notStarted: 0, records: 0)
        for iteration in 1...100 {
            let dir = ws.dir + "/loop-\(iteration)"
            let auditDir = dir + "/audit"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CLI.binary)
            process.arguments = ["run", playbook, "--yes", "--audit-dir", auditDir]
            process.currentDirectoryURL = URL(fileURLWithPath: dir)
            process.environment = CLI.testEnvironment(ws.environment)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32(Int.random(in: 1_000...max(2_000, span), using: &generator)))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            counts.killed += 1
            let records = AuditReader(directory: auditDir).records()
            guard let run = records.first(where: { $0["event"]?.string == "run.start" })?["run"]?.string else {
                // Killed before its first record: nothing may have run.
                #expect(trace(dir).isEmpty, "iteration \(iteration): steps ran without a run.start")
                counts.notStarted += 1
                continue
            }
            let mine = records.filter { $0["run"]?.string == run }
            let started = Set(mine.filter { $0["event"]?.string == "step.start" }.compactMap { $0["step"]?.string })
            let ranWithoutRecord = Set(trace(dir).filter { !$0.hasPrefix("undo-") }).subtracting(started)
            #expect(ranWithoutRecord.isEmpty, "iteration \(iteration): ran without step.start: \(ranWithoutRecord)")
            counts.started += started.count
            let ended = mine.contains { $0["event"]?.string == "run.end" }
            if !ended && Bool.random(using: &generator) {
                let result = try CLI.run(
                    ["resume", run, "--yes", "--indeterminate", "rerun", "--audit-dir", auditDir], in: ws.dir,
                    environment: ws.environment)
                #expect(result.status == 0, "iteration \(iteration): \(result.stdout)\(result.stderr)")
                // Every step of the playbook ended in the resumed run: those the killed run ended came back.
                let resumed = AuditReader(directory: auditDir).records().filter {
                    $0["event"]?.string == "step.end" && $0["run"]?.string != run && $0["status"]?.string == "ok"
                }.suffix(Self.steps).compactMap { $0["step"]?.string }
                #expect(resumed == (1...Self.steps).map { "s\($0)" }, "iteration \(iteration)")
                #expect(started.isSubset(of: Set(trace(dir))), "iteration \(iteration)")
                counts.resumed += 1
                counts.accounted += started.count
            } else {
                let result = try CLI.run(
                    ["rollback", run, "--yes", "--audit-dir", auditDir], in: ws.dir, environment: ws.environment)
                let end = try #require(AuditReader(directory: auditDir).records().last)
                #expect(end["event"]?.string == "run.end", "iteration \(iteration)")
                var left: Set<String> = []
                if case .array(let items)? = end["not_rolled_back"] { left = Set(items.compactMap(\.string)) }
                // Each started step was undone, or (it never ended) is named for a person to check.
                let undone = Set(trace(dir).filter { $0.hasPrefix("undo-") }.map { String($0.dropFirst(5)) })
                #expect(started == undone.union(left), "iteration \(iteration): \(started) vs \(undone) + \(left)")
                #expect(result.status == (left.isEmpty ? 0 : 4), "iteration \(iteration): \(result.stderr)")
                // Most recent first.
                let order = trace(dir).filter { $0.hasPrefix("undo-") }.compactMap { Int($0.dropFirst(6)) }
                #expect(order == order.sorted(by: >), "iteration \(iteration): \(order)")
                counts.rolledBack += 1
                counts.accounted += undone.count + left.count
            }
            // A torn last line is repaired by the next run that appends; the chain verifies.
            let verify = try CLI.run(["audit", "verify", "--audit-dir", auditDir], in: dir)
            #expect(verify.status == 0, "iteration \(iteration): \(verify.stderr)")
            counts.records += AuditReader(directory: auditDir).records().count
        }
        #expect(counts.accounted == counts.started)
        print(
            "crash loop: \(counts.killed) runs killed, \(counts.notStarted) before their first record, "
                + "\(counts.resumed) resumed, \(counts.rolledBack) rolled back; \(counts.started) started steps, "
                + "\(counts.accounted) accounted for; \(counts.records) records in chains that verify")
    }

    private func trace(_ dir: String) -> [String] {
        ((try? String(contentsOfFile: dir + "/trace", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}
