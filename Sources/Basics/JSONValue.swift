import FoundationEssentials

/// The project's one JSON model: audit records, `json()` in expressions and the text of
/// lists and objects in templates all read and write JSON through it. Its canonical encoding
/// (keys sorted, no insignificant whitespace) is what the audit chain hashes (SPEC §3).
package enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case int(Int)
    /// A number that is not an `Int`; integral values still print without a fraction.
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    package init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? container.decode(Int.self) {
            self = .int(i)
        } else if let n = try? container.decode(Double.self) {
            self = .number(n)
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else if let a = try? container.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Parses one JSON text; nil when it is not valid JSON.
    package static func parse(_ text: some StringProtocol) -> JSONValue? {
        try? parsing(text).get()
    }

    /// Parses one JSON text, or says why it is not JSON.
    package static func parsing(_ text: some StringProtocol) -> Result<JSONValue, JSONParseFailure> {
        JSONParser.parse(text)
    }

    package func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .int(let i): try container.encode(i)
        case .number(let n): try container.encode(n)
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let o): try container.encode(o)
        }
    }

    /// The canonical text: what the audit chain hashes. Keys sorted by their UTF-8 bytes, no
    /// insignificant whitespace, strings escaped as Python's `json.dumps(..., ensure_ascii=False)` does.
    package var canonical: String { String(decoding: canonicalBytes, as: UTF8.self) }

    /// The canonical text as UTF-8 bytes (what the audit trail writes and hashes).
    package var canonicalBytes: [UInt8] {
        var out: [UInt8] = []
        write(into: &out)
        return out
    }

    /// Appends the canonical text. Bytes, not `String`: the audit trail encodes every record,
    /// and appending small strings cost more than the rest of a record's work.
    package func write(into out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): Self.writeDecimal(i, into: &out)
        case .number(let n): out.append(contentsOf: Self.numberText(n).utf8)
        case .string(let s): Self.quote(s, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                item.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let fields):
            out.append(UInt8(ascii: "{"))
            // Members with their keys sorted, not keys looked up again: a record's output
            // digests are small objects, one per stream of every step.
            for (i, member) in fields.sorted(by: { Self.precedes($0.key, $1.key) }).enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                Self.quote(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                member.value.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Canonical key order: by UTF-8 bytes.
    package static func precedes(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { x in b.withUTF8 { y in order(x, y) < 0 } }
    }

    /// How two keys compare in canonical order (by their UTF-8 bytes): negative, zero or positive.
    package static func order(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        for i in 0..<min(a.count, b.count) where a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
        return a.count - b.count
    }

    private static func writeDecimal(_ value: Int, into out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        writeDecimal(value.magnitude, into: &out)
    }

    private static func writeDecimal(_ value: UInt, into out: inout [UInt8]) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: UInt.max has 20 digits
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                count += 1
                buffer[24 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            out.append(contentsOf: buffer[(24 - count)...])
        }
    }

    /// A number as text: integral values without a fraction (a shell's `$(( ))` takes no
    /// `1e+16`) as far as Int64 reaches, `-0` as `0`, others as Swift prints them.
    package static func numberText(_ n: Double) -> String {
        if n == 0 { return "0" }
        if n.isFinite, n == n.rounded(), abs(n) < 9.2e18 { return String(Int64(n)) }
        return "\(n)"
    }

    /// A JSON string literal, escaped as Python's `json.dumps(..., ensure_ascii=False)` does
    /// (the audit chain's canonical form depends on it).
    package static func quote(_ s: String) -> String {
        var out: [UInt8] = []
        quote(s, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `s` as a JSON string literal, escaped as `quote(_:)` says.
    package static func quote(_ s: String, into out: inout [UInt8]) {
        var s = s
        out.append(UInt8(ascii: "\""))
        s.withUTF8 { escape($0, into: &out) }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends the UTF-8 text `bytes` escaped for the inside of a JSON string literal.
    package static func escape(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        // Most keys and values need no escape: copy them whole (the audit trail quotes every
        // key and string of every record).
        if !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out.append(contentsOf: bytes)
            return
        }
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): out.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): out.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): out.append(contentsOf: #"\t"#.utf8)
            case 0x08: out.append(contentsOf: #"\b"#.utf8)
            case 0x0C: out.append(contentsOf: #"\f"#.utf8)
            case ..<0x20: out.append(contentsOf: ("\\u00" + Digest.hex([byte])).utf8)
            default: out.append(byte)
            }
        }
    }

    package subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    package var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    package var int: Int? {
        if case .int(let i) = self { return i }
        return nil
    }
}

/// Why text was not JSON.
package struct JSONParseFailure: Error, Sendable {
    package var reason: String
}

extension Optional where Wrapped == String {
    package var json: JSONValue { map(JSONValue.string) ?? .null }
}
