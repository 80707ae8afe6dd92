import FoundationEssentials
import RunbookBasics

/// Recomputes the audit chain and reports the first record that breaks it (SPEC §3).
package struct AuditVerifier: Sendable {
    /// What verification found.
    package struct Report: Sendable {
        package var records: Int
        package var head: (seq: Int, hash: String)?
        /// The first problem: line number (1-based) and what is wrong; nil when the chain holds.
        package var problem: (line: Int, message: String)?
        /// A crash left an incomplete last line of this many bytes.
        package var tornBytes: Int?
        /// Without the key: records that carry an hmac stop at some line (a rewrite that dropped them).
        package var keyedUntil: (last: Int, firstWithout: Int)?

        package var ok: Bool { problem == nil && tornBytes == nil }
    }

    package var key: String?

    package init(key: String?) {
        self.key = key
    }

    package func verify(path: String, expectHead: (seq: Int, hash: String)? = nil) throws -> Report {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuditError("cannot read \(path)")
        }
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        var report = Report(records: 0)
        if let last = lines.last, !last.isEmpty { report.tornBytes = last.count }
        lines.removeLast()
        var prev = AuditChain.genesis
        var seen: [Int: String] = [:]
        var lastKeyed: Int?
        for (index, bytes) in lines.enumerated() {
            let line = index + 1
            guard let record = JSONValue.parse(String(decoding: bytes, as: UTF8.self)),
                case .object(let fields) = record
            else {
                report.problem = (line, "not a JSON record")
                return report
            }
            if let problem = check(fields, line: line, prev: prev) {
                report.problem = (line, problem)
                return report
            }
            // Hashing the parsed record alone would accept a line that parses to it but reads
            // differently elsewhere (a duplicate key: this decoder keeps the first, jq the last).
            guard record.canonicalBytes.elementsEqual(bytes) else {
                report.problem = (line, "the line is not the canonical form of its record: it was modified")
                return report
            }
            if fields["hmac"] != nil {
                lastKeyed = line
            } else if let keyed = lastKeyed, report.keyedUntil == nil {
                report.keyedUntil = (keyed, line)
            }
            prev = fields["hash"]!.string!
            seen[line] = prev
            report.records = line
            report.head = (line, prev)
        }
        if let expected = expectHead, seen[expected.seq] != expected.hash {
            report.problem = (
                expected.seq,
                seen[expected.seq] == nil
                    ? "the log no longer reaches record \(expected.seq): it was truncated"
                    : "record \(expected.seq) is not the one recorded as the head: the log was rewritten"
            )
        }
        return report
    }

    private func check(_ fields: [String: JSONValue], line: Int, prev: String) -> String? {
        guard let seq = fields["seq"]?.int else { return "the record has no seq" }
        if seq != line {
            return seq < line
                ? "seq \(seq) where \(line) was expected: a record was inserted or records were reordered"
                : "seq \(seq) where \(line) was expected: a record was deleted or records were reordered"
        }
        guard fields["prev"]?.string == prev else {
            return
                "prev does not match the hash of record \(line - 1): a record before it was deleted, inserted or reordered"
        }
        guard let hash = fields["hash"]?.string, hash == AuditChain.hash(of: fields, prev: prev) else {
            return "the hash does not match the record's content: it was modified"
        }
        if let key {
            guard let hmac = fields["hmac"]?.string else {
                return "the record has no hmac although RUNBOOK_AUDIT_KEY is set"
            }
            if hmac != AuditChain.hmac(of: hash, key: key) {
                return "the hmac does not match: the record was written or rewritten without the audit key"
            }
        }
        return nil
    }
}
