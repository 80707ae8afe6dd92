import Foundation

/// Reads runs back from the audit file for `audit list`, `audit show` and reports.
public struct AuditReader: Sendable {
    public let path: String

    public init(directory: String) {
        path = (directory as NSString).appendingPathComponent("audit.jsonl")
    }

    /// Every complete record, in file order (a torn last line is left out).
    public func records() -> [[String: JSONValue]] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        lines.removeLast()
        return lines.compactMap { JSONValue.parse(String(decoding: $0, as: UTF8.self))?.objectFields }
    }

    public func records(run: String) -> [[String: JSONValue]] {
        records().filter { $0["run"]?.string == run }
    }

    /// One line per run: id, playbook, mode, start, duration, outcome.
    public struct RunSummary: Encodable, Sendable {
        public var run: String
        public var playbook: String
        public var mode: String
        public var start: String
        public var durationMS: Int?
        public var outcome: String
    }

    public func runs() -> [RunSummary] {
        var order: [String] = []
        var summaries: [String: RunSummary] = [:]
        for record in records() {
            guard let run = record["run"]?.string else { continue }
            switch record.event {
            case .runStart:
                order.append(run)
                summaries[run] = RunSummary(
                    run: run, playbook: record["playbook"]?.string ?? "?", mode: record["mode"]?.string ?? "?",
                    start: record["time"]?.string ?? "?", durationMS: nil, outcome: "unfinished")
            case .runEnd:
                summaries[run]?.durationMS = record["duration_ms"]?.int
                summaries[run]?.outcome = record["status"]?.string ?? "?"
            default: break
            }
        }
        return order.compactMap { summaries[$0] }
    }
}
