import RunbookBasics
import RunbookEvents

/// The audit/JSON form of an engine event: an event name and its fields (SPEC §3 event names).
package struct EventRecord: Sendable {
    package var event: AuditEvent
    package var fields: [String: JSONValue]

    package init(_ event: EngineEvent) {
        switch event {
        case .runStarted(let r):
            self.event = .runStart
            fields = [
                "playbook": .string(r.playbookID), "title": .string(r.title), "file": .string(r.file),
                "mode": .string(r.mode.rawValue), "params": .object(r.params.mapValues { $0.json }),
                "severity": r.severity.json, "prevention": .array(r.prevention.map(JSONValue.string)),
            ]
            if let prior = r.prior { fields[prior.purpose == .resume ? "resumes" : "rolls_back"] = .string(prior.run) }
        case .stepStarted(let s):
            self.event = .stepStart
            fields = [
                "step": .string(s.id), "phase": .string(s.phase.rawValue), "action": .string(s.action),
                "command": s.display.json, "readonly": .bool(s.readonly), "attempt": .int(s.attempt),
            ]
            if let g = s.guardRecord { fields["guard"] = Self.guardFields(g) }
            if let a = s.alternative { fields["alternative"] = .string(a) }
            if let w = s.within { fields["within"] = .string(w) }
            if let d = s.definition { fields["definition"] = .string(d) }
            if let t = s.title { fields["title"] = .string(t) }
            if !s.environment.isEmpty { fields["env"] = .object(s.environment.mapValues(JSONValue.string)) }
            if let item = s.item { fields["item"] = .string(item) }
            if let items = s.items { fields["items"] = .array(items.map(JSONValue.string)) }
            if let n = s.maxFailures { fields["max_failures"] = .int(n) }
            if let n = s.parallel { fields["parallel"] = .int(n) }
            if let host = s.host { fields["host"] = .string(host) }
        case .stepFinished(let f), .rollbackFinished(let f):
            if case .rollbackFinished = event { self.event = .rollbackEnd } else { self.event = .stepEnd }
            fields = Self.finishedFields(f)
        case .stepSkipped(let s):
            self.event = .stepSkip
            fields = ["step": .string(s.id), "phase": .string(s.phase.rawValue), "reason": .string(s.reason)]
            if let g = s.guardRecord { fields["guard"] = Self.guardFields(g) }
        case .confirmation(let c):
            self.event = .confirm
            fields = [
                "step": .string(c.stepID), "phase": .string(c.phase.rawValue), "prompt": .string(c.prompt),
                "answer": .string(c.answer.rawValue), "approved_by": c.approvedBy.json,
            ]
            if let typed = c.typed { fields["typed"] = .string(typed) }
        case .choice(let c):
            self.event = .choose
            fields = [
                "step": .string(c.stepID), "option": c.option.json, "by": .string(c.by),
                "available": .array(c.available.map(JSONValue.string)),
            ]
        case .rollbackStarted(let r):
            self.event = .rollbackStart
            fields = ["step": .string(r.id), "for": .string(r.forStep), "command": r.display.json]
        case .notice(let text):
            self.event = .note
            fields = ["text": .string(text)]
        case .runFinished(let f):
            self.event = .runEnd
            fields = [
                "status": .string(f.outcome.rawValue), "exit_code": .int(Int(f.exitStatus.rawValue)),
                "failed_step": f.failedStep.json, "duration_ms": .int(f.durationMS),
            ]
            if let signal = f.signal { fields["signal"] = .string(signal) }
            if !f.notRolledBack.isEmpty { fields["not_rolled_back"] = .array(f.notRolledBack.map(JSONValue.string)) }
            if !f.leftInPlace.isEmpty { fields["left_in_place"] = .array(f.leftInPlace.map(JSONValue.string)) }
        }
    }

    private static func guardFields(_ g: GuardRecord) -> JSONValue {
        .object([
            "expression": .string(g.expression), "state": .string(g.state.rawValue),
            "values": .object(g.values.mapValues(JSONValue.string)),
        ])
    }

    private static func finishedFields(_ f: StepFinished) -> [String: JSONValue] {
        var fields: [String: JSONValue] = [
            "step": .string(f.id), "status": .string(f.status.rawValue),
            "exit_code": f.exitCode.map { .int(Int($0)) } ?? .null, "duration_ms": .int(f.durationMS),
            "attempts": .int(f.attempts), "outputs": .object(f.outputs.mapValues(JSONValue.string)),
        ]
        if let resumed = f.resumed { fields["resumed_from"] = .string(resumed.run) }
        if let host = f.host { fields["host"] = .string(host) }
        if f.connectionFailed { fields["connection_failed"] = .bool(true) }
        if !f.outputTypes.isEmpty { fields["output_types"] = .object(f.outputTypes.mapValues(JSONValue.string)) }
        if let m = f.message { fields["message"] = .string(m) }
        if !f.leftoverPIDs.isEmpty { fields["left_running"] = .array(f.leftoverPIDs.map { .int(Int($0)) }) }
        for (name, output) in [("stdout", f.stdout), ("stderr", f.stderr)] {
            guard let output else { continue }
            fields[name] = .object([
                "bytes": .int(output.totalBytes), "sha256": .string(output.sha256), "tail": .string(output.tail),
            ])
        }
        return fields
    }
}
