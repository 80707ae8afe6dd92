import RunbookAudit
import RunbookBasics
import RunbookEvents
import RunbookExpression
import RunbookPlaybook

extension IncidentReport {
    /// Builds the report of `run` from its records in file order; nil when there is no `run.start` for it.
    package init?(run: String, records: [[String: JSONValue]]) {
        let mine = records.filter { $0["run"]?.string == run }
        guard let start = mine.first(where: { $0.event == .runStart }), let last = mine.last else {
            return nil
        }
        self.run = run
        playbook = start["playbook"]?.string ?? "?"
        title = start["title"]?.string ?? playbook
        file = start["file"]?.string ?? "?"
        fileSHA256 = start["file_sha256"]?.string
        severity = start["severity"]?.string
        mode = start["mode"]?.string ?? "?"
        user = start["user"]?.string
        host = start["host"]?.string
        params = start["params"]?.objectFields ?? [:]
        started = start["time"]?.string ?? "?"
        actionItems = start["prevention"]?.arrayValues?.compactMap(\.string) ?? []
        let end = mine.last { $0.event == .runEnd }
        ended = end?["time"]?.string
        durationMS = end?["duration_ms"]?.int
        outcome = end?["status"]?.string ?? "unfinished"
        exitCode = end?["exit_code"]?.int
        failedStep = end?["failed_step"]?.string
        leftInPlace = end?["left_in_place"]?.arrayValues?.compactMap(\.string) ?? []
        notRolledBack = end?["not_rolled_back"]?.arrayValues?.compactMap(\.string) ?? []
        timeline = mine.map {
            Event(time: $0["time"]?.string ?? "?", event: $0["event"]?.string ?? "?", text: Self.describe($0))
        }
        steps = Self.steps(mine)
        rollbacks = Self.rollbacks(mine)
        firstSeq = start["seq"]?.int ?? 0
        lastSeq = last["seq"]?.int ?? 0
        lastHash = last["hash"]?.string ?? ""
    }

    /// One entry per step, in the order the run reached them; retries update their step's entry.
    static func steps(_ records: [[String: JSONValue]]) -> [Step] {
        var order: [String] = []
        var steps: [String: Step] = [:]
        func entry(_ id: String) -> Step {
            if let step = steps[id] { return step }
            order.append(id)
            return Step(id: id, status: "indeterminate")
        }
        let events: Set<AuditEvent> = [.stepStart, .stepEnd, .stepSkip, .confirm, .choose]
        for record in records {
            guard let id = record["step"]?.string, let event = record.event, events.contains(event) else {
                continue
            }
            var step = entry(id)
            switch event {
            case .stepStart:
                step.title = record["title"]?.string ?? step.title
                step.phase = record["phase"]?.string ?? step.phase
            case .stepEnd:
                step.status = record["status"]?.string ?? "?"
                step.exitCode = record["exit_code"]?.int
                step.durationMS = record["duration_ms"]?.int
                step.attempts = record["attempts"]?.int
                step.message = record["message"]?.string
                let tail = record["stderr"]?["tail"]?.string ?? ""
                step.stderrTail = step.status == StepStatus.ok.rawValue || tail.isEmpty ? nil : tail
            case .stepSkip:
                step.status = StepStatus.skipped.rawValue
                step.reason = record["reason"]?.string
                step.phase = record["phase"]?.string ?? step.phase
            case .confirm:
                step.phase = record["phase"]?.string ?? step.phase
                step.answer = record["answer"]?.string
                // A step whose confirmation was not given never started: it was declined, not cut short.
                let declined = [ConfirmationOutcome.no, .mistyped, .interrupted].map(\.rawValue)
                if let answer = step.answer, declined.contains(answer) { step.status = StepStatus.declined.rawValue }
                step.approvedBy = record["approved_by"]?.string
            case .choose:
                step.option = record["option"]?.string
                step.chosenBy = record["by"]?.string
            default:
                break
            }
            steps[id] = step
        }
        return order.compactMap { steps[$0] }
    }

    /// Rollback actions in the order they started.
    static func rollbacks(_ records: [[String: JSONValue]]) -> [Rollback] {
        var rollbacks: [Rollback] = []
        for record in records {
            guard let id = record["step"]?.string else { continue }
            switch record.event {
            case .rollbackStart:
                rollbacks.append(
                    Rollback(
                        id: id, forStep: record["for"]?.string ?? "?", command: record["command"]?.string,
                        status: "indeterminate"))
            case .rollbackEnd:
                guard let index = rollbacks.lastIndex(where: { $0.id == id }) else { continue }
                rollbacks[index].status = record["status"]?.string ?? "?"
                rollbacks[index].exitCode = record["exit_code"]?.int
                rollbacks[index].durationMS = record["duration_ms"]?.int
            default:
                continue
            }
        }
        return rollbacks
    }
}

extension JSONValue {
    var arrayValues: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }
}
