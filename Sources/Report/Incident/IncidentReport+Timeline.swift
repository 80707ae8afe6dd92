import RunbookBasics
import RunbookEvents

extension IncidentReport {
    /// One sentence for a record in the timeline; ids in backticks, nothing the record does not say.
    static func describe(_ record: [String: JSONValue]) -> String {
        let step = "`\(record["step"]?.string ?? "?")`"
        guard let event = record.event else { return "Record `\(record["event"]?.string ?? "?")`" }
        switch event {
        case .runStart:
            let who = [record["user"]?.string.map { " by \($0)" }, record["host"]?.string.map { " on \($0)" }]
                .compactMap { $0 }.joined()
            return "Run of `\(record["playbook"]?.string ?? "?")` started (\(record["mode"]?.string ?? "?") mode)\(who)"
        case .stepStart:
            let attempt = record["attempt"]?.int ?? 1
            return attempt > 1 ? "Step \(step): attempt \(attempt)" : "Step \(step) started"
        case .stepEnd:
            return "Step \(step) \(outcome(record))"
        case .stepSkip:
            return "Step \(step) skipped: \(record["reason"]?.string ?? "?")"
        case .confirm:
            let answer = record["answer"]?.string ?? "?"
            let by =
                record["approved_by"]?.string.map {
                    answer == ConfirmationOutcome.yes.rawValue ? ", approved by \($0)" : " (\($0))"
                } ?? ""
            return "Confirmation for \(step): \(answer)\(by)"
        case .choose:
            let option = record["option"]?.string.map { "option `\($0)` taken" } ?? "every option planned"
            return "Choice at \(step): \(option) (\(record["by"]?.string ?? "?"))"
        case .rollbackStart:
            return "Rollback \(step) for `\(record["for"]?.string ?? "?")` started"
        case .rollbackEnd:
            return "Rollback \(step) \(outcome(record))"
        case .note:
            return "Note: \(record["text"]?.string ?? "")"
        case .runEnd:
            let failed = record["failed_step"]?.string.map { " at step `\($0)`" } ?? ""
            return
                "Run ended: \(record["status"]?.string ?? "?")\(failed), exit \(record["exit_code"]?.int.map(String.init) ?? "?")"
        case .auditRepair, .auditPermissions:
            return "Record `\(event.rawValue)`"
        }
    }

    /// `ok (exit 0, 12 ms)`, `failed (exit 1, 3 ms)`, `timed_out (2.0 s)`.
    static func outcome(_ record: [String: JSONValue]) -> String {
        let details = [record["exit_code"]?.int.map { "exit \($0)" }, record["duration_ms"]?.int.map(duration)]
            .compactMap { $0 }.joined(separator: ", ")
        return (record["status"]?.string ?? "?") + (details.isEmpty ? "" : " (\(details))")
    }

    /// A duration for people: `14 ms`, `2.3 s`, `4 min 5 s`, `1 h 2 min`.
    static func duration(_ ms: Int) -> String {
        if ms < 1000 { return "\(ms) ms" }
        if ms < 60_000 { return "\(ms / 1000).\(ms % 1000 / 100) s" }
        let seconds = ms / 1000
        if seconds < 3600 { return "\(seconds / 60) min \(seconds % 60) s" }
        return "\(seconds / 3600) h \(seconds % 3600 / 60) min"
    }
}
