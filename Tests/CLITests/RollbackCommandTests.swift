import Foundation
import Glibc
import RunbookBasics
import RunbookTestSupport
import Testing

/// `runbook rollback RUN_ID` on runs killed with SIGKILL mid-step (README: interrupted runs).
@Suite(.serialized) struct RollbackCommandTests {
    static func playbook(hangRollback: Bool, flush: String = "echo flush >> trace") -> String {
        """
        runbook: 1
        id: two
        title: Two changes, then a long step
        params:
          pool: { type: string, default: w1 }
        recovery:
          - id: size
            run: echo 8
            readonly: true
            outputs: { workers: int(trim(stdout)) }
          - id: scale
            run: echo "scale {{ params.pool }} 16" >> trace
            rollback:
              run: echo "scale {{ params.pool }} back to {{ steps.size.outputs.workers }}" >> trace
              when: steps.size.outputs.workers > 1
          - id: flush
            run: \(flush)
            rollback: { run: echo unflush >> trace }
          - id: hang
            run: echo $$ > step.pid; echo $PPID > runbook.pid; exec sleep 4723
        \(hangRollback ? "    rollback: { run: echo unhang >> trace }" : "    readonly: true")
        """
    }

    /// Runs the playbook live, kills the runbook process with SIGKILL during `hang`, and returns the run id.
    private func killedRun(_ w: AuditWorkspace, hangRollback: Bool) throws -> String {
        try w.playbook("two", Self.playbook(hangRollback: hangRollback))
        let running = try CLI.start(
            ["run", "two.yaml", "--yes", "--audit-dir", w.auditDir], in: w.dir, environment: w.environment)
        var pid: pid_t?
        for _ in 0..<200 {
            if let text = try? String(contentsOfFile: w.dir + "/runbook.pid", encoding: .utf8),
                let value = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                pid = value
                break
            }
            usleep(50_000)
        }
        let runbook = try #require(pid)
        kill(runbook, SIGKILL)
        _ = running.wait()
        // The step's process (the shell exec'd into sleep) outlives a SIGKILLed runbook: end it by its pid.
        if let text = try? String(contentsOfFile: w.dir + "/step.pid", encoding: .utf8),
            let step = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
        {
            kill(step, SIGKILL)
        }
        let start = try #require(try w.records().first)
        return try #require(start["run"]?.string)
    }

    private func trace(_ w: AuditWorkspace) -> String {
        (try? String(contentsOfFile: w.dir + "/trace", encoding: .utf8)) ?? ""
    }

    @Test func aKilledRunIsUndoneInReverseOrderFromAnotherDirectoryWithTheRunsValues() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        let run = try killedRun(w, hangRollback: false)
        #expect(trace(w) == "scale w1 16\nflush\n")
        let elsewhere = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        let result = try CLI.run(
            ["rollback", run, "--yes", "--audit-dir", w.auditDir], in: elsewhere, environment: w.environment)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(trace(w) == "scale w1 16\nflush\nunflush\nscale w1 back to 8\n")
        #expect(result.stdout.contains("rolls back run \(run)\n"))
        #expect(result.stdout.contains("Outcome: rolled_back — exit 0"))
        #expect(!FileManager.default.fileExists(atPath: elsewhere + "/trace"))
        let start = try #require(try w.records().last { $0["event"]?.string == "run.start" })
        #expect(start["rolls_back"]?.string == run)
        #expect(try w.verify().status == 0)
        // A second rollback finds nothing left: what the first undid is not undone again.
        let again = try CLI.run(
            ["rollback", run, "--yes", "--audit-dir", w.auditDir], in: elsewhere, environment: w.environment)
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(again.stdout.contains("nothing to roll back"))
        #expect(trace(w) == "scale w1 16\nflush\nunflush\nscale w1 back to 8\n")
        let list = try w.run(["audit", "list"])
        #expect(list.stdout.contains(" interrupted\n"))
        #expect(list.stdout.components(separatedBy: " rollback ").count == 3, "\(list.stdout)")
    }

    @Test func aStepThatNeverEndedIsNotAssumedUnderYes() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        let run = try killedRun(w, hangRollback: true)
        let result = try w.run(["rollback", run, "--yes"])
        #expect(result.status == 4, "\(result.stdout)\(result.stderr)")
        #expect(trace(w) == "scale w1 16\nflush\nunflush\nscale w1 back to 8\n")
        #expect(
            result.stderr.contains(
                "warning: not rolled back: hang, which started and never ended in run \(run); a rollback does not assume what such a step did"
            ))
    }

    @Test func aStepThatNeverEndedIsOfferedAtATerminalAndRolledBackFirst() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        let run = try killedRun(w, hangRollback: true)
        let result = try CLI.atTerminal(
            ["rollback", run, "--audit-dir", w.auditDir], in: w.dir, environment: w.environment,
            answers: [("Run its rollback? [y/N]", "y"), ("most recent first? [y/N]", "y")])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(
            result.stdout.contains(
                "Step 'hang' started and never ended: whether it changed anything is unknown. Run its rollback?"))
        #expect(trace(w) == "scale w1 16\nflush\nunhang\nunflush\nscale w1 back to 8\n")
        let answers = try w.records().filter { $0["event"]?.string == "confirm" }.map { $0["answer"]?.string }
        #expect(answers == ["yes", "yes"])
    }

    @Test func declinedAtATerminalNothingIsUndone() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        let run = try killedRun(w, hangRollback: false)
        let result = try CLI.atTerminal(
            ["rollback", run, "--audit-dir", w.auditDir], in: w.dir, environment: w.environment,
            answers: [("most recent first? [y/N]", "n")])
        #expect(result.status == 3, "\(result.stdout)")
        #expect(trace(w) == "scale w1 16\nflush\n")
    }

    @Test func aChangedPlaybookIsRefusedNamingTheStepUnlessForced() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        let run = try killedRun(w, hangRollback: false)
        try w.playbook("two", Self.playbook(hangRollback: false, flush: "echo flush all >> trace"))
        let refused = try w.run(["rollback", run, "--yes"])
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(refused.stderr.contains("the playbook changed since run \(run)"))
        #expect(refused.stderr.contains("changed 'flush'"), "\(refused.stderr)")
        #expect(trace(w) == "scale w1 16\nflush\n")
        let forced = try w.run(["rollback", run, "--yes", "--force"])
        #expect(forced.status == 0, "\(forced.stdout)\(forced.stderr)")
        #expect(forced.stderr.contains("(--force: using the file as it is now)"))
        #expect(trace(w) == "scale w1 16\nflush\nunflush\nscale w1 back to 8\n")
    }

    @Test func aDryRunListsWhatWouldBeUndoneAndRunsNothing() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        let run = try killedRun(w, hangRollback: false)
        let result = try w.run(["rollback", run, "--dry-run"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("note: a rollback would undo 'flush', 'scale'"))
        #expect(result.stdout.contains(#"rollback scale.rollback: echo "scale w1 back to 8" >> trace"#))
        #expect(trace(w) == "scale w1 16\nflush\n")
    }

    @Test func anUnknownRunIsInvalidInput() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        let result = try w.run(["rollback", "20990101T000000Z-00000000"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no run '20990101T000000Z-00000000' in this audit trail"))
    }
}
