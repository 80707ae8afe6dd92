import Foundation
import Glibc
import RunbookProcess
import RunbookTestSupport
import Testing

/// SIGTERM and SIGHUP sent to the built binary mid-step, a second signal, and processes that
/// leave their step's process group.
@Suite(.serialized) struct SignalTests {
    /// Waits until the file holds a PID, or fails after ten seconds.
    private func pid(in path: String) throws -> pid_t {
        for _ in 0..<200 {
            if let text = try? String(contentsOfFile: path, encoding: .utf8),
                let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                return pid
            }
            usleep(50_000)
        }
        throw CLI.Failure(description: "no PID in \(path)")
    }

    private func pids(in path: String) -> [pid_t] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { pid_t($0) }
    }

    static let long = """
        runbook: 1
        id: long
        title: Long
        recovery:
          - id: fix
            run: "true"
            rollback: { run: touch unfixed }
          - id: hang
            run: echo $PPID > runbook.pid; sleep 4721 & echo $! > child.pid; wait
        """

    @Test func aKilledRunIsListedInterruptedAndARunningOneRunning() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        try w.playbook("long", Self.long)
        let running = try CLI.start(
            ["run", "long.yaml", "--yes", "--audit-dir", w.auditDir], in: w.dir, environment: w.environment)
        let runbook = try pid(in: w.dir + "/runbook.pid")
        let child = try pid(in: w.dir + "/child.pid")
        let alive = try w.run(["audit", "list", "--json"])
        let runs = try JSONSerialization.jsonObject(with: Data(alive.stdout.utf8)) as? [[String: Any]]
        let listed = try #require(runs?.first)
        #expect(listed["outcome"] as? String == "running", "\(alive.stdout)")
        #expect(listed["ended"] as? Bool == false)
        #expect(listed["pid"] as? Int == Int(runbook))
        let start = try #require(try w.records().first)
        #expect(start["path"]?.string == URL(fileURLWithPath: w.dir + "/long.yaml").standardizedFileURL.path)
        kill(runbook, SIGKILL)
        _ = running.wait()
        kill(child, SIGKILL)
        let after = try w.run(["audit", "list"])
        #expect(after.stdout.split(separator: "\n").last?.hasSuffix(" interrupted") == true, "\(after.stdout)")
        let run = try #require(start["run"]?.string)
        let report = try w.run(["report", run])
        #expect(report.stdout.contains("Outcome: **interrupted** — the run has no end record"))
        #expect(report.stdout.contains("| `hang` | recovery | indeterminate |"))
    }

    @Test(arguments: [SIGTERM, SIGHUP])
    func aSignalEndsTheStepGroupIsAuditedAndLeavesCompletedStepsForRollback(_ signal: Int32) throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        try w.playbook("long", Self.long)
        let running = try CLI.start(
            ["run", "long.yaml", "--yes", "--audit-dir", w.auditDir], in: w.dir, environment: w.environment)
        let runbook = try pid(in: w.dir + "/runbook.pid")
        let child = try pid(in: w.dir + "/child.pid")
        kill(runbook, signal)
        let result = running.wait()
        let name = Interruption.name(of: signal)
        #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
        #expect(RunCommandTests.isGone(child))
        #expect(!FileManager.default.fileExists(atPath: w.dir + "/unfixed"))
        #expect(result.stdout.contains("Outcome: interrupted by \(name) — exit 3"))
        #expect(
            result.stderr.contains("warning: interrupted by \(name): these completed steps were not rolled back: fix"))
        #expect(
            result.stderr.contains(
                "help: check each one and undo it by hand only where that is safe; their rollback commands are in 'runbook show long'"
            ))
        let end = try #require(try w.records().last)
        #expect(end["event"]?.string == "run.end")
        #expect(end["status"]?.string == "interrupted")
        #expect(end["signal"]?.string == name)
        #expect(end["not_rolled_back"] == .array([.string("fix")]))
        #expect(try w.verify().status == 0)
    }

    @Test func aSignalWhileAConfirmationWaitsStopsTheRunInsteadOfDecliningIt() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        try w.playbook(
            "ask",
            """
            runbook: 1
            id: ask
            title: Ask
            recovery:
              - { id: fix, run: "echo $PPID > runbook.pid", rollback: { run: touch unfixed } }
              - { id: risky, run: "true", confirm: "Really?" }
            """)
        // script gives runbook a terminal, so it asks and waits for an answer that never comes.
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { return }
        let command = "\(CLI.binary) run ask.yaml --audit-dir \(w.auditDir)"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", command, "/dev/null"]
        process.currentDirectoryURL = URL(fileURLWithPath: w.dir)
        process.environment = ProcessInfo.processInfo.environment.merging(w.environment) { $1 }
        process.standardInput = Pipe()
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let runbook = try pid(in: w.dir + "/runbook.pid")
        usleep(300_000)
        kill(runbook, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 3)
        #expect(!FileManager.default.fileExists(atPath: w.dir + "/unfixed"))
        let confirm = try w.records().first { $0["event"]?.string == "confirm" }
        #expect(confirm?["answer"]?.string == "interrupted")
        #expect(try w.records().last?["signal"]?.string == "SIGTERM")
    }

    @Test func aSecondSignalKillsAStepThatIgnoresTheFirst() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        try w.playbook(
            "stubborn",
            """
            runbook: 1
            id: stubborn
            title: Stubborn
            recovery:
              - id: hang
                run: trap '' TERM; echo $PPID > runbook.pid; echo $$ > step.pid; while :; do sleep 1; done
            """)
        let running = try CLI.start(
            ["run", "stubborn.yaml", "--yes", "--audit-dir", w.auditDir], in: w.dir, environment: w.environment)
        let runbook = try pid(in: w.dir + "/runbook.pid")
        let step = try pid(in: w.dir + "/step.pid")
        kill(runbook, SIGTERM)
        usleep(300_000)
        let second = Date()
        kill(runbook, SIGTERM)
        let result = running.wait()
        #expect(result.status == 3)
        // The grace period is 5 s; the second signal skips it.
        #expect(Date().timeIntervalSince(second) < 3, "took \(Date().timeIntervalSince(second)) s")
        #expect(RunCommandTests.isGone(step))
    }

    @Test func processesThatLeaveTheGroupAreEndedWithTheStep() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        try w.playbook(
            "escape",
            """
            runbook: 1
            id: escape
            title: Escape
            recovery:
              - id: escape
                run: |
                  setsid sh -c 'echo $$ >> escaped.pids; exec sleep 4712' &
                  setsid sh -c 'sh -c "echo \\$\\$ >> escaped.pids; exec sleep 4715" & exit 0'
                  while [ "$(cat escaped.pids 2>/dev/null | wc -l)" -lt 2 ]; do sleep 0.05; done
              - id: after
                run: "true"
            """)
        let result = try w.run(["run", "escape.yaml", "--yes"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let escaped = pids(in: w.dir + "/escaped.pids")
        #expect(escaped.count == 2)
        for pid in escaped { #expect(RunCommandTests.isGone(pid), "\(pid) survived its step") }
    }

    @Test func aDetachedStepsEscapeesAreSparedAndRecordedAsLeftRunning() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        try w.playbook(
            "daemon",
            """
            runbook: 1
            id: daemon
            title: Daemon
            recovery:
              - id: start
                detach: true
                run: setsid sh -c 'echo $$ > daemon.pid; exec sleep 4716' & while [ ! -s daemon.pid ]; do sleep 0.05; done
              - id: after
                run: "true"
            """)
        let result = try w.run(["run", "daemon.yaml", "--yes"])
        let daemon = try pid(in: w.dir + "/daemon.pid")
        defer { kill(daemon, SIGKILL) }
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(kill(daemon, 0) == 0, "the detached daemon was ended")
        let end = try w.records().first { $0["event"]?.string == "step.end" && $0["step"]?.string == "start" }
        #expect(end?["left_running"] == .array([.int(Int(daemon))]))
    }
}
