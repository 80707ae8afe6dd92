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
        #expect(json["failedStep"] as? String == "healthy")
        #expect(json["user"] as? String == "alice")
        #expect(
            json["actionItems"] as? [String] == [
                "Alert on pool usage above 80%", "Document the pool size in the service README",
            ])
        let steps = try #require(json["steps"] as? [[String: Any]])
        #expect(steps.map { $0["id"] as? String } == ["look", "restart", "grow", "healthy"])
        #expect(steps.map { $0["status"] as? String } == ["ok", "ok", "skipped", "failed"])
        #expect(steps[1]["approvedBy"] as? String == "--yes")
        let rollbacks = try #require(json["rollbacks"] as? [[String: Any]])
        #expect(rollbacks.map { $0["forStep"] as? String } == ["restart"])
        #expect((json["timeline"] as? [Any])?.count == (try ws.records().count))
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
