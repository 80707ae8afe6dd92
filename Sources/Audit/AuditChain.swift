import Crypto
import FoundationEssentials
import Glibc
import RunbookBasics

/// The hash chain of SPEC §3: `hash = SHA-256(prev ‖ canonical JSON of the record without hash and hmac)`.
package enum AuditChain {
    package static let genesis = String(repeating: "0", count: 64)

    /// The hash a record must carry, given the previous record's hash.
    package static func hash(of record: [String: JSONValue], prev: String) -> String {
        var body = record
        body["hash"] = nil
        body["hmac"] = nil
        return hash(ofCanonical: JSONValue.object(body).canonical, prev: prev)
    }

    /// The hash of a record whose canonical text (without `hash` and `hmac`) is `body`.
    package static func hash(ofCanonical body: String, prev: String) -> String {
        Digest.sha256Hex((prev + body).utf8)
    }

    /// HMAC-SHA256 of a record's hash under the audit key, hex.
    package static func hmac(of hash: String, key: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Array(hash.utf8), using: SymmetricKey(data: Array(key.utf8)))
        return Digest.hex(code)
    }

    /// RFC 3339 UTC with milliseconds.
    package static func timestamp(_ date: Date) -> String {
        // Formatting by hand: a DateFormatter per record costs more than the record's fsync.
        let total = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var t = time_t(total / 1000)
        var parts = tm()
        gmtime_r(&t, &parts)
        let ms = Int(total % 1000)
        func pad(_ n: Int32, _ width: Int = 2) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday))T"
            + "\(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec)).\(pad(Int32(ms), 3))Z"
    }
}

extension JSONValue {
    /// Every string inside with each secret's text replaced by `***`.
    package func masked(by masker: SecretMasker) -> JSONValue {
        // Most runs have no secret: then there is nothing to rebuild.
        if masker.secrets.isEmpty { return self }
        switch self {
        case .string(let s): return .string(masker.mask(s))
        case .array(let a): return .array(a.map { $0.masked(by: masker) })
        case .object(let o): return .object(o.mapValues { $0.masked(by: masker) })
        default: return self
        }
    }
}

extension AuditChain {
    /// The key for `hmac`, from `RUNBOOK_AUDIT_KEY` (README: the audit trail); nil when unset or empty.
    package static func key(in environment: [String: String]) -> String? {
        environment["RUNBOOK_AUDIT_KEY"].flatMap { $0.isEmpty ? nil : $0 }
    }
}
