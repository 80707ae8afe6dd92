import FoundationEssentials
import RunbookEvents
import RunbookExpression
import RunbookPlaybook

extension IncidentReport {
    /// The post-mortem document of the incident runbook's template ("Post-Incident Process"),
    /// filled in from the records; what only people know (root cause, impact) is left to complete.
    package func markdown() -> String {
        [
            header(), summary(), timelineSection(), "## Root Cause\n\n_To be completed._\n",
            "## Resolution\n\n" + stepsTable() + "\n" + failuresSection() + rollbacksTable() + leftSection(),
            "## Impact\n\n- [ ] Users affected\n- [ ] Revenue impact\n- [ ] Data loss\n- [ ] SLA violation\n",
            actionItemsSection(), footer(),
        ].joined(separator: "\n")
    }

    private func header() -> String {
        var level = severity.map { s in Severity(rawValue: s).map { "\(s) (\($0.name))" } ?? s } ?? "unknown"
        if let response { level += " — \(response.line)" }
        let length = durationMS.map(Self.duration) ?? "unknown: the run has no end record"
        return """
            # Incident Post-Mortem: \(title)

            **Date**: \(started.prefix(10))
            **Severity**: \(level)
            **Duration**: \(length)
            **Impact**: _To be completed._

            """
    }

    private func summary() -> String {
        let who = [user.map { " by \($0)" }, host.map { " on \($0)" }].compactMap { $0 }.joined()
        var text = "## Summary\n\nPlaybook `\(playbook)` (`\(file)`) ran in \(mode) mode\(who), as run `\(run)`. "
        if ended == nil {
            text += "Outcome: **interrupted** — the run has no end record: it was killed or lost its machine (or is "
            text += "still running; `runbook audit list` tells). Steps that started and never ended are "
            text += "`indeterminate`: check what they did before acting on them."
        } else {
            let failed = failedStep.map { " at step `\($0)`" } ?? ""
            text += "Outcome: **\(outcome)**\(failed), exit \(exitCode.map(String.init) ?? "?")."
        }
        let counts = Dictionary(grouping: steps, by: \.status).mapValues(\.count).sorted { $0.key < $1.key }
            .map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        text += " Steps: \(counts.isEmpty ? "none" : counts); rollback actions: \(rollbacks.count)."
        if !params.isEmpty {
            let list = params.sorted { $0.key < $1.key }.map { "`\($0.key)=\($0.value.string ?? $0.value.canonical)`" }
            text += "\n\nParams: \(list.joined(separator: ", "))."
        }
        return text + "\n"
    }

    private func timelineSection() -> String {
        var text = "## Timeline\n\n| Time (UTC) | Event |\n|------------|-------|\n"
        let day = started.prefix(10)
        for event in timeline {
            // Same day as the start: the time alone, as in the template; otherwise the date too.
            let clock = String(event.time.dropFirst(11).prefix(8))
            let time = event.time.hasPrefix(day) ? clock : "\(event.time.prefix(10)) \(clock)"
            text += "| \(time) | \(Self.cell(event.text)) |\n"
        }
        return text
    }

    private func stepsTable() -> String {
        guard !steps.isEmpty else { return "### Steps\n\nNo step ran.\n" }
        var text = "### Steps\n\n| Step | Phase | Outcome | Attempts | Duration | Approved by |\n"
        text += "|------|-------|---------|----------|----------|-------------|\n"
        for step in steps {
            let name =
                "`\(step.id)`" + (step.item.flatMap { $0 == step.host ? nil : " (`\($0)`)" } ?? "")
                + (step.host.map { " on `\($0)`" } ?? "") + (step.title.map { " — \($0)" } ?? "")
            var outcome = step.status + (step.exitCode.map { ", exit \($0)" } ?? "")
            if let reason = step.reason ?? step.message { outcome += ": \(reason)" }
            if let option = step.option { outcome += "; option `\(option)` (\(step.chosenBy ?? "?"))" }
            let approval = step.answer.map { answer in
                answer == ConfirmationOutcome.yes.rawValue
                    ? (step.approvedBy ?? "?") : "\(answer)\(step.approvedBy.map { " (\($0))" } ?? "")"
            }
            let cells = [
                name, step.phase ?? "", outcome, step.attempts.map(String.init) ?? "",
                step.durationMS.map(Self.duration) ?? "", approval ?? "",
            ]
            text += "| " + cells.map(Self.cell).joined(separator: " | ") + " |\n"
        }
        return text
    }

    /// Each step that did not succeed, with its reason and the end of its stderr.
    private func failuresSection() -> String {
        let failed = steps.filter {
            $0.message != nil || $0.stderrTail != nil
                || [StepStatus.failed, .timedOut].map(\.rawValue).contains($0.status)
        }
        guard !failed.isEmpty else { return "" }
        var text = "### Failures\n\n"
        for step in failed {
            text += "- `\(step.id)`\(step.host.map { " on `\($0)`" } ?? "") \(step.status)"
            text += step.exitCode.map { ", exit \($0)" } ?? ""
            text += (step.message.map { ": \(Self.cell($0))" } ?? "") + "\n"
            guard let tail = step.stderrTail else { continue }
            let fence = tail.contains("```") ? "~~~~" : "```"
            let lines = tail.split(separator: "\n", omittingEmptySubsequences: false)
            let body = (lines.last == "" ? lines.dropLast() : lines[...]).map { "  \($0)\n" }.joined()
            text += "\n  \(fence)text\n\(body)  \(fence)\n\n"
        }
        return text.hasSuffix("\n\n") ? text : text + "\n"
    }

    /// What the run changed and did not undo: the engineer's clean-up list.
    private func leftSection() -> String {
        var text = ""
        if !leftInPlace.isEmpty {
            text += "\n### Left in place\n\nThese steps changed the system, completed, and have no rollback action; "
            text +=
                "check them and undo by hand if needed: " + leftInPlace.map { "`\($0)`" }.joined(separator: ", ")
                + ".\n"
        }
        if !notRolledBack.isEmpty {
            text += "\n### Not rolled back\n\nThe run stopped before these completed steps were rolled back: "
            text += notRolledBack.map { "`\($0)`" }.joined(separator: ", ")
            text += "; their rollback actions are in the playbook.\n"
        }
        return text
    }

    private func rollbacksTable() -> String {
        guard !rollbacks.isEmpty else { return "### Rollbacks\n\nNo rollback ran.\n" }
        var text = "### Rollbacks\n\n| Rollback | For step | Command | Outcome | Duration |\n"
        text += "|----------|----------|---------|---------|----------|\n"
        for r in rollbacks {
            let outcome = r.status + (r.exitCode.map { ", exit \($0)" } ?? "")
            let cells = [
                "`\(r.id)`" + (r.host.map { " on `\($0)`" } ?? ""), "`\(r.forStep)`", r.command.map(Self.code) ?? "",
                outcome,
                r.durationMS.map(Self.duration) ?? "",
            ]
            text += "| " + cells.map(Self.cell).joined(separator: " | ") + " |\n"
        }
        return text
    }

    /// The incident process's follow-up: the review meeting, then the action items by category.
    private func actionItemsSection() -> String {
        var text = "## Action Items\n\n"
        if let review = response?.review {
            text += "Incident review meeting \(review) (\(severity ?? "")): on-call engineer, tech lead and "
            text += "engineering manager go through the timeline, the root cause, what went well, what could be "
            text += "improved, and these items.\n\n"
        }
        text += "Give each item an owner, track it with the team's issues, and review it at the next sprint "
        text += "retrospective.\n"
        let titles: [ActionItem.Category: String] = [
            .fix: "Fix — correct the immediate issue",
            .prevent: "Prevent — stop it recurring (process, code, monitoring)",
            .improve: "Improve — detect or respond better", .document: "Document — runbooks and documentation",
        ]
        for category in ActionItem.Category.allCases {
            let items = actionItems.filter { $0.category == category }
            guard !items.isEmpty else { continue }
            text += "\n### \(titles[category]!)\n\n" + items.map { "- [ ] [Owner] \(Self.cell($0.text))\n" }.joined()
        }
        return text
    }

    private func footer() -> String {
        """
        ---
        _Generated by `runbook report` from the run's audit records (seq \(firstSeq) to \(lastSeq)). \
        `runbook audit verify --expect-head \(lastSeq):\(lastHash)` checks that they are still in the log._

        """
    }

    /// Text safe inside a table cell: one line, pipes escaped (GFM unescapes them inside code spans too).
    static func cell(_ text: String) -> String {
        text.replacingScalars(of: "|", with: "\\|")
            .split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// Inline code that survives backticks inside it.
    static func code(_ text: String) -> String {
        let fence = text.contains("`") ? "`` " : "`"
        return fence + text + String(fence.reversed())
    }
}
