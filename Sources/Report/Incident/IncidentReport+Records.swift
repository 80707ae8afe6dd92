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
        response = severity.flatMap(Severity.init(rawValue:)).map(SeverityResponse.init)
        mode = start["mode"]?.string ?? "?"
        user = start["user"]?.string
        host = start["host"]?.string
        params = start["params"]?.objectFields ?? [:]
        started = start["time"]?.string ?? "?"
        let end = mine.last { $0.event == .runEnd }
        ended = end?["time"]?.string
        durationMS = end?["duration_ms"]?.int
        outcome = end?["status"]?.string ?? "interrupted"
        exitCode = end?["exit_code"]?.int
        failedStep = end?["failed_step"]?.string
        leftInPlace = end?["left_in_place"]?.arrayValues?.compactMap(\.string) ?? []
        notRolledBack = end?["not_rolled_back"]?.arrayValues?.compactMap(\.string) ?? []
        timeline = mine.map {
            Event(time: $0["time"]?.string ?? "?", event: $0["event"]?.string ?? "?", text: Self.describe($0))
        }
        steps = Self.steps(mine)
        rollbacks = Self.rollbacks(mine)
        actionItems = []
        firstSeq = start["seq"]?.int ?? 0
        lastSeq = last["seq"]?.int ?? 0
        lastHash = last["hash"]?.string ?? ""
        actionItems = followUp(prevention: start["prevention"]?.arrayValues?.compactMap(\.string) ?? [])
    }

    /// The action items of the incident process ("Fix", "Prevent", "Improve", "Document"), drawn
    /// from what the run left undone and what the playbook lists; what only people know is left open.
    private func followUp(prevention: [String]) -> [ActionItem] {
        var items: [ActionItem] = []
        for step in steps where [StepStatus.failed, .timedOut].map(\.rawValue).contains(step.status) {
            items.append(
                ActionItem(
                    category: .fix,
                    text: "Find why `\(step.id)` \(step.status.replacingScalars(of: "_", with: " ")) and fix it"))
        }
        for step in steps where step.status == "indeterminate" {
            items.append(ActionItem(category: .fix, text: "Find out what `\(step.id)` did: it started and never ended"))
        }
        if !leftInPlace.isEmpty {
            let list = leftInPlace.map { "`\($0)`" }.joined(separator: ", ")
            items.append(
                ActionItem(
                    category: .fix, text: "Check the changes left in place (\(list)) and undo them by hand if needed"))
        }
        if !notRolledBack.isEmpty {
            let list = notRolledBack.map { "`\($0)`" }.joined(separator: ", ")
            items.append(ActionItem(category: .fix, text: "Roll back by hand what the run did not: \(list)"))
        }
        if items.isEmpty {
            items.append(ActionItem(category: .fix, text: "Correct the immediate issue (root cause above)"))
        }
        items += prevention.map { ActionItem(category: .prevent, text: $0) }
        if prevention.isEmpty {
            items.append(ActionItem(category: .prevent, text: "Prevent recurrence: process, code or monitoring"))
        }
        items.append(
            ActionItem(
                category: .improve,
                text: "Improve detection or response: an alert that fires earlier, a faster playbook step"))
        items.append(
            ActionItem(
                category: .document, text: "Update playbook `\(playbook)` (`\(file)`) with what this incident taught"))
        if mode == RunMode.live.rawValue {
            items.append(
                ActionItem(
                    category: .document,
                    text:
                        "Keep this run as a rehearsal: `runbook audit scenario \(run) -o \(Self.scenarioFile(playbook: playbook, file: file, outcome: outcome))`, then `runbook test`"
                ))
        }
        return items
    }

    /// Where a scenario recorded from this run belongs: beside the playbook, named after the outcome.
    private static func scenarioFile(playbook: String, file: String, outcome: String) -> String {
        let folder = file.split(separator: "/").dropLast().joined(separator: "/")
        let name = "\(playbook).\(outcome.replacingScalars(of: "_", with: "-")).scenario.yaml"
        return folder.isEmpty ? name : "\(folder)/\(name)"
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
                step.item = record["item"]?.string ?? step.item
                step.host = record["host"]?.string ?? step.host
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
                rollbacks[index].host = record["host"]?.string
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
