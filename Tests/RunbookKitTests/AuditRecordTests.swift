import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookAudit
@testable import RunbookBasics
@testable import RunbookEvents
@testable import RunbookPlaybook
@testable import RunbookProcess

/// The audit trail encodes an event's members straight into the record's canonical text; the
/// same members, as a dictionary, serve `--json` and reports. Both must say the same.
@Suite struct AuditRecordTests {
    private static let awkward = "quote \" back \\ line\nend tab\t bell\u{07} é 🙂 hunter22"

    /// Every kind of event, with every optional member and without them.
    static func everyEvent() -> [EngineEvent] {
        var full = StepStarted(
            id: "s", title: awkward, phase: .recovery, action: "run", display: "echo " + awkward, readonly: false,
            attempt: 2, attempts: 3,
            guardRecord: GuardRecord(expression: "steps.a.ok", state: .undetermined, values: ["steps.a.ok": awkward]),
            rollback: ["undo"], alternative: "fast", depth: 1)
        full.environment = ["TOKEN": "hunter22", "B": awkward]
        full.within = "2m"
        full.definition = "abc"
        full.item = "web-1"
        full.items = ["web-1", awkward]
        full.maxFailures = 1
        full.parallel = 4
        full.host = "web-1"
        var finished = StepFinished(
            id: "s", status: .failed, exitCode: 3, durationMS: 12,
            stdout: CapturedOutput(whole: awkward), stderr: CapturedOutput(whole: ""),
            outputs: ["out": awkward], message: awkward, leftoverPIDs: [12, 13], attempts: 2)
        finished.outputTypes = ["out": "number"]
        finished.resumed = ResumedStep(run: "r0", phase: .recovery, title: nil, depth: 0)
        finished.host = "web-1"
        finished.connectionFailed = true
        let plain = StepFinished(id: "p", status: .ok, durationMS: 0, outputs: [:], leftoverPIDs: [], attempts: 1)
        return [
            .runStarted(
                RunStarted(
                    playbookID: "pb", title: awkward, file: "/x/pb.yaml", mode: .live,
                    params: ["svc": "api", "none": nil, "token": "hunter22"], severity: "P1",
                    prevention: [awkward, "b"], prior: PriorRun(purpose: .resume, run: "r0"))),
            .runStarted(
                RunStarted(playbookID: "pb", title: "t", file: "f", mode: .dryRun, params: [:], prevention: [])),
            .stepStarted(full),
            .stepStarted(
                StepStarted(
                    id: "m", phase: .diagnosis, action: "manual", readonly: true, attempt: 1, attempts: 1, rollback: [],
                    depth: 0)),
            .stepFinished(finished), .stepFinished(plain), .rollbackFinished(plain),
            .stepSkipped(
                StepSkipped(
                    id: "k", phase: .verify, reason: awkward,
                    guardRecord: GuardRecord(expression: "false", state: .false, values: [:]), depth: 0)),
            .stepSkipped(StepSkipped(id: "k", phase: .symptoms, reason: "r", depth: 0)),
            .confirmation(
                ConfirmationRecord(
                    stepID: "s", phase: .recovery, prompt: awkward, answer: .mistyped, approvedBy: "ann", typed: "yse")),
            .confirmation(ConfirmationRecord(stepID: "s", phase: .recovery, prompt: "p", answer: .notAsked)),
            .choice(ChoiceRecord(stepID: "c", option: "a", by: "operator", available: ["a", awkward])),
            .choice(ChoiceRecord(stepID: "c", by: "plan", available: [])),
            .rollbackStarted(RollbackStarted(id: "s.rollback", forStep: "s", display: awkward)),
            .rollbackStarted(RollbackStarted(id: "s.rollback", forStep: "s")),
            .notice(awkward), .notice(""),
            .runFinished(
                RunFinished(
                    outcome: .interrupted, exitStatus: .declined, failedStep: "s", durationMS: 99, signal: "SIGTERM",
                    notRolledBack: ["a", awkward], leftInPlace: ["b"])),
            .runFinished(RunFinished(outcome: .recovered, exitStatus: .success, durationMS: 0)),
        ]
    }

    @Test func everyRecordHoldsItsEventsMembersAsCanonicalText() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let context: [String: JSONValue] = [
            "user": .string("ann"), "argv": .array([.string("run"), .string("hunter22")]), "title": .string("loses"),
        ]
        let events = Self.everyEvent()
        do {
            let log = AuditLog(
                file: try AuditFile(directory: dir), runID: "r1", secrets: ["hunter22"], key: "k", context: context)
            for event in events { log.handle(event) }
            #expect(log.failure == nil)
        }
        let path = dir + "/audit.jsonl"
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        try #require(lines.count == events.count)
        let masker = SecretMasker(secrets: ["hunter22"])
        for (line, event) in zip(lines, events) {
            let record = try #require(JSONValue.parse(line)?.objectFields)
            // The line is the canonical text of what it holds.
            #expect(String(line) == JSONValue.object(record).canonical)
            let eventRecord = EventRecord(event)
            var expected = eventRecord.fields
            if eventRecord.event == .runStart { expected.merge(context) { mine, _ in mine } }
            expected["event"] = .string(eventRecord.event.rawValue)
            expected["run"] = .string("r1")
            var members = record
            for key in ["time", "seq", "prev", "hash", "hmac"] { #expect(members.removeValue(forKey: key) != nil) }
            #expect(members == JSONValue.object(expected).masked(by: masker).objectFields, "\(line)")
            #expect(!line.contains("hunter22"))
        }
        #expect(try AuditVerifier(key: "k").verify(path: path).records == events.count)
    }

    @Test func anEventsMembersGoIntoACanonicalObjectAsIntoADictionary() {
        for event in Self.everyEvent() {
            var object = CanonicalObject()
            var fields: [String: JSONValue] = [:]
            #expect(EventRecord.add(event, to: &object) == EventRecord.add(event, to: &fields))
            #expect(object.bytes == JSONValue.object(fields).canonicalBytes)
        }
    }
}
