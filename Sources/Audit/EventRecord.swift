import RunbookBasics
import RunbookEvents

/// The audit/JSON form of an engine event: an event name and its fields (SPEC §3 event names).
package struct EventRecord: Sendable {
    package var event: AuditEvent
    package var fields: [String: JSONValue]

    package init(_ event: EngineEvent) {
        var fields: [String: JSONValue] = [:]
        fields.reserveCapacity(16)
        self.event = Self.add(event, to: &fields)
        self.fields = fields
    }

    /// Adds the event's members to `members` — a dictionary, or a record's canonical text
    /// built without one (the audit trail) — and returns the event's name.
    package static func add(_ event: EngineEvent, to members: inout some JSONMembers) -> AuditEvent {
        switch event {
        case .runStarted(let r):
            members.add("playbook", .string(r.playbookID))
            members.add("title", .string(r.title))
            members.add("file", .string(r.file))
            members.add("mode", .string(r.mode.rawValue))
            members.add("params", .object(r.params.mapValues { $0.json }))
            members.add("severity", r.severity.json)
            members.add("prevention", .array(r.prevention.map(JSONValue.string)))
            if let prior = r.prior {
                members.add(prior.purpose == .resume ? "resumes" : "rolls_back", .string(prior.run))
            }
            return .runStart
        case .stepStarted(let s):
            members.add("action", .string(s.action))
            members.add("attempt", .int(s.attempt))
            members.add("command", s.display.json)
            members.add("phase", .string(s.phase.rawValue))
            members.add("readonly", .bool(s.readonly))
            members.add("step", .string(s.id))
            if let g = s.guardRecord { members.add("guard", guardFields(g)) }
            if let a = s.alternative { members.add("alternative", .string(a)) }
            if let w = s.within { members.add("within", .string(w)) }
            if let d = s.definition { members.add("definition", .string(d)) }
            if let t = s.title { members.add("title", .string(t)) }
            if !s.environment.isEmpty { members.add("env", .object(s.environment.mapValues(JSONValue.string))) }
            if let item = s.item { members.add("item", .string(item)) }
            if let items = s.items { members.add("items", .array(items.map(JSONValue.string))) }
            if let n = s.maxFailures { members.add("max_failures", .int(n)) }
            if let n = s.parallel { members.add("parallel", .int(n)) }
            if let host = s.host { members.add("host", .string(host)) }
            return .stepStart
        case .stepFinished(let f):
            addFinished(f, to: &members)
            return .stepEnd
        case .rollbackFinished(let f):
            addFinished(f, to: &members)
            return .rollbackEnd
        case .stepSkipped(let s):
            members.add("phase", .string(s.phase.rawValue))
            members.add("reason", .string(s.reason))
            members.add("step", .string(s.id))
            if let g = s.guardRecord { members.add("guard", guardFields(g)) }
            return .stepSkip
        case .confirmation(let c):
            members.add("answer", .string(c.answer.rawValue))
            members.add("approved_by", c.approvedBy.json)
            members.add("phase", .string(c.phase.rawValue))
            members.add("prompt", .string(c.prompt))
            members.add("step", .string(c.stepID))
            if let typed = c.typed { members.add("typed", .string(typed)) }
            return .confirm
        case .choice(let c):
            members.add("available", .array(c.available.map(JSONValue.string)))
            members.add("by", .string(c.by))
            members.add("option", c.option.json)
            members.add("step", .string(c.stepID))
            return .choose
        case .rollbackStarted(let r):
            members.add("command", r.display.json)
            members.add("for", .string(r.forStep))
            members.add("step", .string(r.id))
            return .rollbackStart
        case .notice(let text):
            members.add("text", .string(text))
            return .note
        case .runFinished(let f):
            members.add("duration_ms", .int(f.durationMS))
            members.add("exit_code", .int(Int(f.exitStatus.rawValue)))
            members.add("failed_step", f.failedStep.json)
            members.add("status", .string(f.outcome.rawValue))
            if let signal = f.signal { members.add("signal", .string(signal)) }
            if !f.notRolledBack.isEmpty {
                members.add("not_rolled_back", .array(f.notRolledBack.map(JSONValue.string)))
            }
            if !f.leftInPlace.isEmpty { members.add("left_in_place", .array(f.leftInPlace.map(JSONValue.string))) }
            return .runEnd
        }
    }

    private static func guardFields(_ g: GuardRecord) -> JSONValue {
        .object([
            "expression": .string(g.expression), "state": .string(g.state.rawValue),
            "values": .object(g.values.mapValues(JSONValue.string)),
        ])
    }

    private static func addFinished(_ f: StepFinished, to members: inout some JSONMembers) {
        members.add("attempts", .int(f.attempts))
        members.add("duration_ms", .int(f.durationMS))
        members.add("exit_code", f.exitCode.map { .int(Int($0)) } ?? .null)
        members.add("outputs", .object(f.outputs.mapValues(JSONValue.string)))
        members.add("status", .string(f.status.rawValue))
        members.add("step", .string(f.id))
        if let resumed = f.resumed { members.add("resumed_from", .string(resumed.run)) }
        if let host = f.host { members.add("host", .string(host)) }
        if f.connectionFailed { members.add("connection_failed", .bool(true)) }
        if !f.outputTypes.isEmpty { members.add("output_types", .object(f.outputTypes.mapValues(JSONValue.string))) }
        if let m = f.message { members.add("message", .string(m)) }
        if !f.leftoverPIDs.isEmpty { members.add("left_running", .array(f.leftoverPIDs.map { .int(Int($0)) })) }
        for (name, output) in [("stdout", f.stdout), ("stderr", f.stderr)] {
            guard let output else { continue }
            members.add(
                name,
                .object([
                    "bytes": .int(output.totalBytes), "sha256": .string(output.sha256), "tail": .string(output.tail),
                ]))
        }
    }
}
