import RunbookBasics
import RunbookReport
import Testing

@Suite struct IncidentReportTests {
    private func record(_ seq: Int, _ event: String, _ fields: [String: JSONValue] = [:]) -> [String: JSONValue] {
        var record = fields
        record["seq"] = .int(seq)
        record["event"] = .string(event)
        record["run"] = .string(seq == 3 ? "other" : "r1")
        record["time"] = .string("2026-03-01T23:59:5\(seq).000Z")
        record["hash"] = .string("h\(seq)")
        return record
    }

    @Test func aKilledRunIsUnfinishedAndItsOpenStepIndeterminate() throws {
        let records = [
            record(1, "run.start", ["playbook": .string("p"), "title": .string("T"), "mode": .string("live")]),
            record(2, "step.end", ["step": .string("a"), "status": .string("ok"), "exit_code": .int(0)]),
            record(3, "step.start", ["step": .string("x")]),
            record(4, "step.start", ["step": .string("b"), "phase": .string("recovery")]),
        ]
        let report = try #require(IncidentReport(run: "r1", records: records))
        #expect(report.outcome == "interrupted")
        #expect(report.steps.map(\.id) == ["a", "b"])
        #expect(report.steps.map(\.status) == ["ok", "indeterminate"])
        #expect(report.lastSeq == 4)
        let markdown = report.markdown()
        #expect(markdown.contains("**Severity**: unknown\n"))
        #expect(markdown.contains("**Duration**: unknown: the run has no end record\n"))
        #expect(markdown.contains("Outcome: **interrupted** — the run has no end record: it was killed"))
        #expect(markdown.contains("- [ ] [Owner] Find out what `b` did: it started and never ended\n"))
        #expect(markdown.contains("- [ ] [Owner] Prevent recurrence: process, code or monitoring\n"))
        #expect(!markdown.contains("Incident review meeting"))
    }

    @Test func aTimelineThatCrossesMidnightShowsTheDate() throws {
        var late = record(2, "note", ["text": .string("later")])
        late["time"] = .string("2026-03-02T00:00:01.000Z")
        let report = try #require(IncidentReport(run: "r1", records: [record(1, "run.start"), late]))
        #expect(report.markdown().contains("| 2026-03-02 00:00:01 | Note: later |"))
        #expect(report.markdown().contains("| 23:59:51 | Run of `?` started (? mode) |"))
    }

    @Test func noRunStartNoReport() {
        #expect(IncidentReport(run: "r1", records: [record(2, "step.start", ["step": .string("a")])]) == nil)
    }

    @Test func durationsReadAsPeopleSayThem() throws {
        let base = record(1, "run.start", ["severity": .string("P1")])
        for (ms, text) in [(14, "14 ms"), (2_345, "2.3 s"), (245_000, "4 min 5 s"), (3_720_000, "1 h 2 min")] {
            let end = record(2, "run.end", ["status": .string("recovered"), "duration_ms": .int(ms)])
            let report = try #require(IncidentReport(run: "r1", records: [base, end]))
            #expect(report.markdown().contains("**Duration**: \(text)\n"))
            #expect(
                report.markdown().contains(
                    "**Severity**: P1 (Critical) — respond within 15 minutes · customers: status page and email "
                        + "within 30 minutes · incident review within 1 week\n"))
        }
    }

    @Test func actionItemsFollowThePostIncidentProcess() throws {
        let start = record(
            1, "run.start",
            [
                "playbook": .string("pool"), "file": .string("playbooks/pool.yaml"), "mode": .string("live"),
                "severity": .string("P2"), "prevention": .array([.string("Alert on pool usage")]),
            ])
        let records = [
            start,
            record(2, "step.end", ["step": .string("grow"), "status": .string("timed_out")]),
            record(
                4, "run.end",
                ["status": .string("failed"), "left_in_place": .array([.string("flush"), .string("grow")])]),
        ]
        let report = try #require(IncidentReport(run: "r1", records: records))
        #expect(
            report.actionItems.map { "\($0.category.rawValue): \($0.text)" } == [
                "fix: Find why `grow` timed out and fix it",
                "fix: Check the changes left in place (`flush`, `grow`) and undo them by hand if needed",
                "prevent: Alert on pool usage",
                "improve: Improve detection or response: an alert that fires earlier, a faster playbook step",
                "document: Update playbook `pool` (`playbooks/pool.yaml`) with what this incident taught",
                "document: Keep this run as a rehearsal: `runbook audit scenario r1 -o playbooks/pool.failed.scenario.yaml`, "
                    + "then `runbook test`",
            ])
        let markdown = report.markdown()
        #expect(markdown.contains("Incident review meeting within 1 week (P2)"))
        #expect(
            markdown.contains(
                "### Prevent — stop it recurring (process, code, monitoring)\n\n- [ ] [Owner] Alert on pool usage\n"))
    }
}
