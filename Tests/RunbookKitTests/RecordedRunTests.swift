import RunbookAudit
import RunbookBasics
import Testing

/// Reading a run back from its audit records, as `resume` and `rollback` will (README: interrupted runs).
@Suite struct RecordedRunTests {
    private func record(_ seq: Int, _ event: String, run: String = "r1", _ fields: [String: JSONValue] = [:])
        -> [String: JSONValue]
    {
        var record = fields
        record["seq"] = .int(seq)
        record["event"] = .string(event)
        record["run"] = .string(run)
        return record
    }

    @Test func aKilledRunGivesItsEndedStepsOutputsRollbacksChoicesAndTheOpenStep() throws {
        let records = [
            record(
                1, "run.start",
                [
                    "playbook": .string("pool"), "file": .string("playbooks/pool.yaml"),
                    "path": .string("/srv/playbooks/pool.yaml"), "file_sha256": .string("ab"),
                    "params": .object(["pool": .string("w1"), "token": .string("***")]),
                ]),
            record(2, "step.start", ["step": .string("size")]),
            record(
                3, "step.end",
                [
                    "step": .string("size"), "status": .string("ok"), "exit_code": .int(0),
                    "outputs": .object(["workers": .string("8")]),
                ]),
            record(4, "step.start", run: "r2", ["step": .string("other")]),
            record(5, "choose", ["step": .string("remedy"), "option": .string("scale")]),
            record(6, "confirm", ["step": .string("scale"), "answer": .string("yes")]),
            record(7, "step.start", ["step": .string("scale")]),
            record(8, "step.end", ["step": .string("scale"), "status": .string("failed"), "exit_code": .int(1)]),
            record(9, "step.start", ["step": .string("scale"), "attempt": .int(2)]),
            record(10, "step.end", ["step": .string("scale"), "status": .string("ok"), "exit_code": .int(0)]),
            record(11, "rollback.start", ["step": .string("flush.rollback")]),
            record(12, "rollback.end", ["step": .string("flush.rollback"), "status": .string("ok")]),
            record(13, "step.start", ["step": .string("restart")]),
        ]
        let run = try #require(RecordedRun(run: "r1", records: records))
        #expect(run.playbook == "pool")
        #expect(run.path == "/srv/playbooks/pool.yaml")
        #expect(run.fileSHA256 == "ab")
        #expect(run.ended.map(\.id) == ["size", "scale"])
        #expect(run.ended.map(\.status) == ["ok", "ok"], "a retried step keeps its last end")
        #expect(run.ended.map(\.seq) == [3, 10])
        #expect(run.ended[0].outputs == ["workers": "8"])
        #expect(run.indeterminate == ["restart"])
        #expect(run.rolledBack == ["flush.rollback"])
        #expect(run.choices == ["remedy": "scale"])
        #expect(run.answers == ["scale": "yes"])
        #expect(run.outcome == nil)
        #expect(run.maskedParams == ["token"])
    }

    @Test func aFinishedRunHasItsOutcomeAndNoOpenStep() throws {
        let records = [
            record(1, "run.start", ["playbook": .string("p")]),
            record(2, "step.start", ["step": .string("a")]),
            record(3, "step.end", ["step": .string("a"), "status": .string("ok")]),
            record(4, "run.end", ["status": .string("recovered")]),
        ]
        let run = try #require(RecordedRun(run: "r1", records: records))
        #expect(run.outcome == "recovered")
        #expect(run.indeterminate.isEmpty)
        #expect(RecordedRun(run: "r9", records: records) == nil)
    }
}
