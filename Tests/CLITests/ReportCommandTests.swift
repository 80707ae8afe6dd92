import Foundation
import RunbookTestSupport
import Testing

/// SPEC §7: `runbook report RUN_ID` turns a run's audit records into the post-mortem template.
@Suite struct ReportCommandTests {
    static let playbook = """
        runbook: 1
        id: report-demo
        title: Worker pool exhausted
        severity: P2
        params:
          service: {type: string, default: api}
          scale: {type: bool, default: false}
        diagnosis:
          - id: look
            title: Count workers
            run: echo 3 workers
        recovery:
          - id: restart
            title: Restart the service
            run: echo restarting {{ params.service }}
            confirm: Restart {{ params.service }}?
            rollback:
              run: echo 'undo | restart'
          - id: grow
            when: params.scale == true
            run: echo scaling
        verify:
          - id: healthy
            run: echo unhealthy; exit 3
        prevention:
          - Alert on pool usage above 80%
          - Document the pool size in the service README

        """

    /// One recorded run of the demo playbook: the workspace, run id and audit records.
    private func recordedRun() throws -> (AuditWorkspace, run: String) {
        let ws = try AuditWorkspace()
        try ws.playbook("demo", Self.playbook)
        let result = try ws.run(["run", "demo.yaml", "--yes", "-p", "service=api"])
        #expect(result.status == 1, "\(result.stderr)")
        return (ws, try #require(AuditWorkspace.printedHead(result.stdout)?.run, "\(result.stdout)"))
    }

    /// Replaces what differs between runs: run id, host, times, durations, hashes.
    private func normalised(_ text: String, run: String, host: String) -> String {
        var out = text.replacingOccurrences(of: run, with: "RUN-ID").replacingOccurrences(
            of: " on \(host)", with: " on HOST")
        let patterns = [
            (#"\b[0-9a-f]{64}\b"#, "HASH"), (#"\d{4}-\d{2}-\d{2}"#, "YYYY-MM-DD"), (#"\d{2}:\d{2}:\d{2}"#, "HH:MM:SS"),
            (#"\b\d+(\.\d)? (ms|s)\b"#, "N ms"),
        ]
        for (pattern, replacement) in patterns {
            out = out.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        return out
    }

    @Test func markdownFollowsThePostMortemTemplate() throws {
        let (ws, run) = try recordedRun()
        defer { ws.remove() }
        let result = try ws.run(["report", run])
        #expect(result.status == 0, "\(result.stderr)")
        let host = try #require(try ws.records().first?["host"]?.string)
        #expect(Golden.mismatch(normalised(result.stdout, run: run, host: host), "report-demo.md") == nil)
    }

    @Test func jsonCarriesTheSameContentAsData() throws {
        let (ws, run) = try recordedRun()
        defer { ws.remove() }
        let result = try ws.run(["report", run, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["severity"] as? String == "P2")
        #expect(json["outcome"] as? String == "rolled_back")
        #expect(json["failed_step"] as? String == "healthy")
        #expect(json["user"] as? String == "alice")
        let items = try #require(json["action_items"] as? [[String: Any]])
        #expect(
            items.filter { $0["category"] as? String == "prevent" }.map { $0["text"] as? String } == [
                "Alert on pool usage above 80%", "Document the pool size in the service README",
            ])
        #expect(
            items.filter { $0["category"] as? String == "fix" }.map { $0["text"] as? String } == [
                "Find why `healthy` failed and fix it"
            ])
        let response = try #require(json["response"] as? [String: Any])
        #expect(response["response_time"] as? String == "1 hour")
        #expect(response["customer_update"] as? String == "status page within 2 hours")
        #expect(response["review"] as? String == "within 1 week")
        let steps = try #require(json["steps"] as? [[String: Any]])
        #expect(steps.map { $0["id"] as? String } == ["look", "restart", "grow", "healthy"])
        #expect(steps.map { $0["status"] as? String } == ["ok", "ok", "skipped", "failed"])
        #expect(steps[1]["approved_by"] as? String == "--yes")
        let rollbacks = try #require(json["rollbacks"] as? [[String: Any]])
        #expect(rollbacks.map { $0["for"] as? String } == ["restart"])
        #expect((json["timeline"] as? [Any])?.count == (try ws.records().count))
    }

    @Test func reportSaysWhyStepsFailedAndWhatWasLeftInPlace() throws {
        let ws = try AuditWorkspace()
        defer { ws.remove() }
        try ws.playbook(
            "leftover",
            """
            runbook: 1
            id: leftover
            title: Cache flush
            params:
              token: {type: string, default: tok-4242-secret, secret: true}
            recovery:
              - {id: flush, run: echo flushed}
              - id: warm
                run: echo "warming failed for {{ params.token }}" >&2; echo cold
                expect: trim(stdout) == "warm"
            """)
        let result = try ws.run(["run", "leftover.yaml", "--yes"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("Outcome: failed, at step warm — exit 1"))
        #expect(result.stdout.contains("Left in place (no rollback action; check and undo by hand): flush\n"))
        let run = try #require(AuditWorkspace.printedHead(result.stdout)?.run)
        let report = try ws.run(["report", run])
        #expect(report.stdout.contains("Outcome: **failed** at step `warm`, exit 1."))
        #expect(
            report.stdout.contains("| `warm` | recovery | failed, exit 0: expect is false: trim(stdout) == \"warm\" |"))
        #expect(
            report.stdout.contains(
                "- `warm` failed, exit 0: expect is false: trim(stdout) == \"warm\"\n\n  ```text\n  warming failed for ***\n"
            ))
        #expect(
            report.stdout.contains(
                "### Left in place\n\nThese steps changed the system, completed, and have no rollback action; check them and undo by hand if needed: `flush`.\n"
            ))
        #expect(!report.stdout.contains("tok-4242-secret"))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(try ws.run(["report", run, "--format", "json"]).stdout.utf8))
                as? [String: Any])
        #expect(json["left_in_place"] as? [String] == ["flush"])
        let steps = try #require(json["steps"] as? [[String: Any]])
        #expect(steps.last?["message"] as? String == #"expect is false: trim(stdout) == "warm""#)
        #expect(steps.last?["stderr_tail"] as? String == "warming failed for ***\n")
    }

    @Test func anUnknownRunIsAnErrorWithAHint() throws {
        let (ws, _) = try recordedRun()
        defer { ws.remove() }
        let result = try ws.run(["report", "20200101T000000Z-00000000"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("error: no run '20200101T000000Z-00000000'"))
        #expect(result.stderr.contains("help: 'runbook audit list' shows the runs"))
    }
}
