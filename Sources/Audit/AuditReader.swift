import FoundationEssentials
import RunbookBasics

/// Reads runs back from the audit file for `audit list`, `audit show` and reports.
package struct AuditReader: Sendable {
    package let path: String

    package init(directory: String) {
        path = Path.join(directory, "audit.jsonl")
    }

    /// Every complete record, in file order (a torn last line is left out).
    package func records() -> [[String: JSONValue]] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        lines.removeLast()
        return lines.compactMap { JSONValue.parse(String(decoding: $0, as: UTF8.self))?.objectFields }
    }

    package func records(run: String) -> [[String: JSONValue]] {
        records().filter { $0["run"]?.string == run }
    }

    /// One line per run: id, playbook, mode, start, duration, outcome.
    package struct RunSummary: Encodable, Sendable {
        package var run: String
        package var playbook: String
        package var mode: String
        package var start: String
        package var durationMS: Int?
        /// The `run.end` status; `interrupted` when the run has no `run.end` (killed, lost its
        /// machine), or `running` when the caller found it still alive.
        package var outcome: String
        /// False when the run has no `run.end` record.
        package var ended: Bool
        /// The process that ran it, from `run.start`.
        package var pid: Int?
        /// The host it ran on, from `run.start`.
        package var host: String?
    }

    /// A live run that undoes or continues an earlier one shows as `rollback` or `resume`.
    private static func mode(of start: [String: JSONValue]) -> String {
        let mode = start["mode"]?.string ?? "?"
        guard mode == "live" else { return mode }
        if start["rolls_back"] != nil { return "rollback" }
        if start["resumes"] != nil { return "resume" }
        return mode
    }

    package func runs() -> [RunSummary] {
        var order: [String] = []
        var summaries: [String: RunSummary] = [:]
        var resumed: [String] = []
        for record in records() {
            guard let run = record["run"]?.string else { continue }
            switch record.event {
            case .runStart:
                order.append(run)
                if let earlier = record["resumes"]?.string { resumed.append(earlier) }
                summaries[run] = RunSummary(
                    run: run, playbook: record["playbook"]?.string ?? "?",
                    mode: Self.mode(of: record),
                    start: record["time"]?.string ?? "?", durationMS: nil, outcome: "interrupted", ended: false,
                    pid: record["pid"]?.int, host: record["host"]?.string)
            case .runEnd:
                summaries[run]?.durationMS = record["duration_ms"]?.int
                summaries[run]?.outcome = record["status"]?.string ?? "?"
                summaries[run]?.ended = true
            default: break
            }
        }
        // A run that a later run resumed is no longer waiting for anyone.
        for earlier in resumed where summaries[earlier]?.ended == false { summaries[earlier]?.outcome = "resumed" }
        return order.compactMap { summaries[$0] }
    }
}
