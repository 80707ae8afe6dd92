import Foundation
import Glibc
import RunbookBasics
import RunbookTestSupport
import Testing

/// `runbook resume RUN_ID` on runs killed with SIGKILL mid-step (README: interrupted runs).
@Suite(.serialized) struct ResumeCommandTests {
    static func playbook(finish: String = #"echo "finish with {{ steps.size.outputs.workers }}" >> trace"#) -> String {
        """
        runbook: 1
        id: three
        title: Resume me
        params:
          pool: { type: string, default: w1 }
        recovery:
          - id: size
            run: echo 8
            readonly: true
            outputs: { workers: int(trim(stdout)) }
          - id: scale
            run: echo "scale {{ params.pool }} 16" >> trace
            rollback: { run: 'echo "scale back to {{ steps.size.outputs.workers }}" >> trace' }
          - id: hang
            run: if [ -f go ]; then echo hang-again >> trace; else echo $$ > step.pid; echo $PPID > runbook.pid; exec sleep 4725; fi
            rollback: { run: echo unhang >> trace }
          - id: finish
            run: \(finish)
        verify:
          - id: check
            run: grep -q finish trace
        """
    }

    /// Runs the playbook live and kills it with SIGKILL during `hang`; returns the run id.
    static func killedRun(
        _ w: AuditWorkspace, playbook: String = playbook(), environment extra: [String: String] = [:]
    ) throws -> String {
        try w.playbook("three", playbook)
        let running = try CLI.start(
            ["run", "three.yaml", "--yes", "--audit-dir", w.auditDir], in: w.dir,
            environment: w.environment.merging(extra) { _, b in b })
        let pids = try #require(CLI.waitForPIDs(["runbook.pid", "step.pid"], in: w.dir))
        try #require(pids.count == 2)
        kill(pids[0], SIGKILL)
        _ = running.wait()
        kill(pids[1], SIGKILL)
        try "".write(toFile: w.dir + "/go", atomically: true, encoding: .utf8)
        return try #require(try w.records().first?["run"]?.string)
    }

    private func trace(_ w: AuditWorkspace) -> String {
        (try? String(contentsOfFile: w.dir + "/trace", encoding: .utf8)) ?? ""
    }

    @Test func theOperatorsChoiceForTheOpenStepIsHonouredAndTheRunCompletes() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        let run = try Self.killedRun(w)
        let elsewhere = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        let result = try CLI.atTerminal(
            ["resume", run, "--yes", "--audit-dir", w.auditDir], in: elsewhere, environment: w.environment,
            answers: [])
        // --yes alone refuses: the open step needs a person.
        #expect(result.status == 2, "\(result.stdout)")
        #expect(result.stdout.contains("step 'hang' started in run \(run) and never ended"))
        let resumed = try CLI.atTerminal(
            ["resume", run, "--audit-dir", w.auditDir], in: elsewhere, environment: w.environment,
            answers: [("number or name: ", "rerun")])
        #expect(resumed.status == 0, "\(resumed.stdout)")
        #expect(resumed.stdout.contains("'hang' started in run \(run) and never ended: what it changed is unknown"))
        #expect(resumed.stdout.contains("↺ size  [done in run \(run): ok, exit 0]"))
        #expect(resumed.stdout.contains("Outcome: recovered — exit 0"))
        #expect(trace(w) == "scale w1 16\nhang-again\nfinish with 8\n", "outputs come back from the records")
        #expect(try w.verify().status == 0)
        let records = try w.records()
        let start = try #require(records.last { $0["event"]?.string == "run.start" })
        #expect(start["resumes"]?.string == run)
        let choice = try #require(records.last { $0["event"]?.string == "choose" })
        #expect(choice["step"]?.string == "hang")
        #expect(choice["option"]?.string == "rerun")
        // Every step the first run started is accounted for in the second.
        let ended = records.filter { $0["run"] == start["run"] && $0["event"]?.string == "step.end" }
        #expect(ended.compactMap { $0["step"]?.string } == ["size", "scale", "hang", "finish", "check"])
        #expect(ended.prefix(2).allSatisfy { $0["resumed_from"]?.string == run })
        let list = try w.run(["audit", "list"])
        #expect(list.stdout.contains(" resumed\n"), "\(list.stdout)")
        // Resumed once: a second resume of the same run is refused.
        let again = try w.run(["resume", run, "--indeterminate", "rerun"])
        #expect(again.status == 2)
        #expect(again.stderr.contains("was resumed by run"))
    }

    @Test func markingTheOpenStepDoneAndRollingBackLaterUndoesBothRuns() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        let run = try Self.killedRun(w, playbook: Self.playbook(finish: "exit 1"))
        let resumed = try w.run(["resume", run, "--yes", "--indeterminate", "done"])
        // finish fails: the resumed run rolls back what both runs did, newest first.
        #expect(resumed.status == 1, "\(resumed.stdout)\(resumed.stderr)")
        #expect(resumed.stdout.contains("(marked done by the operator"))
        #expect(trace(w) == "scale w1 16\nunhang\nscale back to 8\n")
    }

    @Test func choosingRollbackUndoesTheOpenStepFirst() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        let run = try Self.killedRun(w)
        let result = try w.run(["resume", run, "--yes", "--indeterminate", "rollback"])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(trace(w) == "scale w1 16\nunhang\nscale back to 8\n")
    }

    @Test func anEditedPlaybookIsRefusedNamingTheChangedStep() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        let run = try Self.killedRun(w)
        try w.playbook(
            "three",
            Self.playbook().replacingOccurrences(of: "scale {{ params.pool }} 16", with: "scale {{ params.pool }} 32"))
        let result = try w.run(["resume", run, "--indeterminate", "rerun"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("the playbook changed since run \(run)"))
        #expect(result.stderr.contains("changed 'scale'"), "\(result.stderr)")
        #expect(trace(w) == "scale w1 16\n")
    }

    @Test func aSecretParamComesFromItsEnvironmentVariableAgainAndIsNeverWritten() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        let secret = Self.playbook().replacingOccurrences(
            of: "  pool: { type: string, default: w1 }",
            with: "  pool: { type: string, default: w1 }\n  token: { type: string, secret: true, env: POOL_TOKEN }"
        )
        .replacingOccurrences(of: "run: grep -q finish trace", with: #"run: test "$T" = s3cr3t-value"#)
        .replacingOccurrences(of: "  - id: check\n", with: "  - id: check\n    env: { T: \"{{ params.token }}\" }\n")
        let run = try Self.killedRun(w, playbook: secret, environment: ["POOL_TOKEN": "s3cr3t-value"])
        let resumed = try w.run(
            ["resume", run, "--yes", "--indeterminate", "rerun"], environment: ["POOL_TOKEN": "s3cr3t-value"])
        #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
        let log = try String(contentsOfFile: w.auditPath, encoding: .utf8)
        #expect(!log.contains("s3cr3t-value"))
        let start = try #require(try w.records().last { $0["event"]?.string == "run.start" })
        #expect(start["params"]?.objectFields["token"]?.string == "***")
    }

    @Test func aFinishedRunIsNotResumed() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        try w.playbook("ok", "runbook: 1\nid: ok\ntitle: Ok\nrecovery: [{id: a, run: 'true'}]\n")
        _ = try w.run(["run", "ok.yaml", "--yes"])
        let run = try #require(try w.records().first?["run"]?.string)
        let result = try w.run(["resume", run])
        #expect(result.status == 2)
        #expect(result.stderr.contains("run \(run) ended (recovered): there is nothing to resume"))
    }
}
