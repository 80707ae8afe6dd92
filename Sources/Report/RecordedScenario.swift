import RunbookAudit
import RunbookBasics

/// The scenario that replays a recorded run (`runbook audit scenario RUN_ID`): what each step
/// returned, what the operator answered and chose, and the run's path and outcome as
/// `expect:`, so that fixtures come from real incidents and game days.
package struct RecordedScenario {
    package var text: String
    /// Secret params, masked in the records: the scenario names them for the user to supply.
    package var secretParams: [String]

    /// Nil when the records hold no `run.start`.
    package init?(records: [[String: JSONValue]]) {
        guard let start = records.first(where: { $0.event == .runStart }),
            let playbook = start["playbook"]?.string
        else { return nil }
        var steps: [(id: String, fields: [(String, String)])] = []
        func set(_ id: String, _ key: String, _ value: String) {
            if let index = steps.firstIndex(where: { $0.id == id }) {
                steps[index].fields.removeAll { $0.0 == key }
                steps[index].fields.append((key, value))
            } else {
                steps.append((id, [(key, value)]))
            }
        }
        var path: [String] = []
        var skipped: [String] = []
        var manual: Set<String> = []
        for record in records {
            guard let id = record["step"]?.string else { continue }
            switch record.event {
            case .stepStart where record["attempt"]?.int ?? 1 == 1:
                path.append(id)
                if record["action"]?.string == "manual" { manual.insert(id) }
                if let definition = record["definition"]?.string { set(id, "definition", definition) }
            case .rollbackStart:
                path.append(id)
            case .stepEnd, .rollbackEnd:
                Self.result(of: record).forEach { set(id, $0.0, $0.1) }
                // A manual step that ended was done by the operator.
                if manual.contains(id), record["status"]?.string == "ok" { set(id, "answer", "yes") }
            case .stepSkip:
                skipped.append(id)
            case .confirm:
                let answer = record["answer"]?.string
                if answer == "yes" || answer == "no" { set(id, "answer", answer!) }
            case .choose:
                if let option = record["option"]?.string { set(id, "option", JSONValue.quote(option)) }
            default:
                break
            }
        }
        var secrets: [String] = []
        var out = "# Recorded from run \(start["run"]?.string ?? "?") (\(start["mode"]?.string ?? "?"), "
        out += "\(start["time"]?.string ?? "?")) by 'runbook audit scenario'.\n"
        out += "playbook: \(playbook)\n"
        let params = start["params"]?.objectFields ?? [:]
        if !params.isEmpty {
            out += "params:\n"
            for (name, value) in params.sorted(by: { $0.key < $1.key }) {
                if value.string == SecretMasker.mask {
                    secrets.append(name)
                    out += "  # \(name): a secret; the audit trail holds no value, supply one\n"
                } else if value != .null {
                    out += "  \(name): \(JSONValue.quote(value.string ?? value.canonical))\n"
                }
            }
        }
        if !steps.isEmpty {
            out += "steps:\n"
            for (id, fields) in steps {
                out += "  \(id): {" + fields.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + "}\n"
            }
        }
        out += "expect:\n  path: [\(path.joined(separator: ", "))]\n"
        out += "  outcome: \(records.last { $0.event == .runEnd }?["status"]?.string ?? "failed")\n"
        if !skipped.isEmpty { out += "  skipped: [\(skipped.joined(separator: ", "))]\n" }
        text = out
        secretParams = secrets
    }

    /// A step's recorded result as scenario fields. Output is the recorded tail (the last
    /// 4 KiB): what a check read beyond it is not in the audit trail.
    private static func result(of record: [String: JSONValue]) -> [(String, String)] {
        var fields: [(String, String)] = []
        if let code = record["exit_code"]?.int, code != 0 { fields.append(("exit_code", String(code))) }
        if record["status"]?.string == "timed_out" { fields.append(("duration", "24h")) }
        for stream in ["stdout", "stderr"] {
            if let tail = record[stream]?["tail"]?.string, !tail.isEmpty {
                fields.append((stream, JSONValue.quote(tail)))
            }
        }
        if let ms = record["duration_ms"]?.int, ms > 0, record["status"]?.string != "timed_out" {
            fields.append(("duration", "\(ms)ms"))
        }
        if record["status"]?.string == "declined" { fields.append(("answer", "no")) }
        return fields
    }
}
