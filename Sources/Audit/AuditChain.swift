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
        return hash(ofCanonical: JSONValue.object(body).canonicalBytes, prev: prev)
    }

    /// The hash of a record whose canonical text (without `hash` and `hmac`) is `body`.
    package static func hash(ofCanonical body: [UInt8], prev: String) -> String {
        Digest.sha256Hex(prev, then: body)
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
        return String(unsafeUninitializedCapacity: 24) { out in
            _ = out.initialize(from: "0000-00-00T00:00:00.000Z".utf8)
            put(parts.tm_year + 1900, digits: 4, at: 0, in: out)
            put(parts.tm_mon + 1, digits: 2, at: 5, in: out)
            put(parts.tm_mday, digits: 2, at: 8, in: out)
            put(parts.tm_hour, digits: 2, at: 11, in: out)
            put(parts.tm_min, digits: 2, at: 14, in: out)
            put(parts.tm_sec, digits: 2, at: 17, in: out)
            put(Int32(total % 1000), digits: 3, at: 20, in: out)
            return 24
        }
    }

    /// Writes the last `digits` decimal digits of `n` at `position`.
    private static func put(_ n: Int32, digits: Int, at position: Int, in out: UnsafeMutableBufferPointer<UInt8>) {
        var n = n
        for i in (position..<position + digits).reversed() {
            out[i] = UInt8(ascii: "0") + UInt8(n % 10)
            n /= 10
        }
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
