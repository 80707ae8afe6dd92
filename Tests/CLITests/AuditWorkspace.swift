import Foundation
import RunbookAudit
import RunbookBasics
import RunbookTestSupport

/// A temporary folder with its own audit directory and run-lock directory, for audit-trail tests.
struct AuditWorkspace {
    let dir: String
    var auditDir: String { dir + "/audit" }
    var auditPath: String { auditDir + "/audit.jsonl" }
    var environment: [String: String] { ["RUNBOOK_LOCK_DIR": dir + "/locks", "USER": "alice"] }

    init() throws {
        dir = try CLI.temporaryDirectory()
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// Writes `text` as `NAME.yaml` in the workspace and returns its path.
    @discardableResult
    func playbook(_ name: String, _ text: String) throws -> String {
        let path = dir + "/\(name).yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `runbook ARGS --audit-dir AUDIT` in the workspace.
    func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> CLI.Result {
        try CLI.run(
            arguments + ["--audit-dir", auditDir], in: dir, environment: environment.merging(extra) { _, b in b })
    }

    func verify(_ arguments: [String] = [], key: String? = nil) throws -> CLI.Result {
        try run(["audit", "verify"] + arguments, environment: key.map { ["RUNBOOK_AUDIT_KEY": $0] } ?? [:])
    }

    /// The audit file's lines, without the final newline.
    func lines() throws -> [String] {
        let text = try String(contentsOfFile: auditPath, encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    func write(lines: [String]) throws {
        try (lines.map { $0 + "\n" }.joined()).write(toFile: auditPath, atomically: false, encoding: .utf8)
    }

    func records() throws -> [[String: JSONValue]] {
        try lines().map { JSONValue.parse($0)?.objectFields ?? [:] }
    }

    /// The run id and `SEQ:HASH` head that `runbook run` printed last.
    static func printedHead(_ output: String) -> (run: String, head: String)? {
        guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("audit: run ") }) else { return nil }
        let words = line.split(separator: " ")
        guard words.count >= 7 else { return nil }
        return (String(words[2]), String(words[6]))
    }

    /// Sets `seq`, `prev`, `hash` (and `hmac` under `key`; any other `hmac` is left as it was).
    static func seal(_ fields: [String: JSONValue], seq: Int, prev: String, key: String? = nil) -> String {
        var record = fields
        record["seq"] = .int(seq)
        record["prev"] = .string(prev)
        let hash = AuditChain.hash(of: record, prev: prev)
        record["hash"] = .string(hash)
        if let key { record["hmac"] = .string(AuditChain.hmac(of: hash, key: key)) }
        return JSONValue.object(record).canonical
    }

    /// Recomputes every `prev`/`hash` from `start` (0-based) on, as a forger without the key would (stale `hmac`s stay).
    static func rechain(_ lines: [String], from start: Int) -> [String] {
        var out = lines
        var prev = start == 0 ? AuditChain.genesis : (JSONValue.parse(lines[start - 1])?["hash"]?.string ?? "")
        for index in start..<lines.count {
            var fields = JSONValue.parse(lines[index])?.objectFields ?? [:]
            fields["hash"] = nil
            out[index] = seal(fields, seq: index + 1, prev: prev)
            prev = JSONValue.parse(out[index])?["hash"]?.string ?? ""
        }
        return out
    }
}

extension JSONValue {
    var objectFields: [String: JSONValue] {
        if case .object(let o) = self { return o }
        return [:]
    }
}
