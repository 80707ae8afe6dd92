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
    package var canonical: String {
        var out = ""
        write(into: &out)
        return out
    }

    private func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .number(let n): out += Self.numberText(n)
        case .string(let s): Self.quote(s, into: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(into: &out)
            }
            out += "]"
        case .object(let fields):
            out += "{"
            for (i, key) in Self.sortedKeys(fields).enumerated() {
                if i > 0 { out += "," }
                Self.quote(key, into: &out)
                out += ":"
                fields[key]!.write(into: &out)
            }
            out += "}"
        }
    }

    private static func sortedKeys(_ fields: [String: JSONValue]) -> [String] {
        fields.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }

    /// An object's members in canonical order, each as its `"key":value` text, so a writer that
    /// adds members after hashing the others (the audit trail's `hash`) encodes each once.
    package static func canonicalMembers(of fields: [String: JSONValue]) -> [(key: String, text: String)] {
        sortedKeys(fields).map { key in
            var text = ""
            quote(key, into: &text)
            text += ":"
            fields[key]!.write(into: &text)
            return (key, text)
        }
    }

    /// Adds a member where canonical order puts it (replacing one with the same key).
    package static func insert(_ key: String, _ value: JSONValue, into members: inout [(key: String, text: String)]) {
        var text = ""
        quote(key, into: &text)
        text += ":"
        value.write(into: &text)
        if let same = members.firstIndex(where: { $0.key == key }) {
            members[same].text = text
            return
        }
        let at = members.firstIndex { !$0.key.utf8.lexicographicallyPrecedes(key.utf8) } ?? members.count
        members.insert((key, text), at: at)
    }

    /// The canonical text of an object made of `members` (in canonical order).
    package static func canonicalObject(_ members: [(key: String, text: String)]) -> String {
        var out = "{"
        for (i, member) in members.enumerated() {
            if i > 0 { out += "," }
            out += member.text
        }
        return out + "}"
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
        var out = ""
        quote(s, into: &out)
        return out
    }

    private static func quote(_ s: String, into out: inout String) {
        // Most keys and values need no escape: copy them whole (the audit trail quotes every
        // key and string of every record).
        out += "\""
        defer { out += "\"" }
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out += s
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20: out += "\\u00" + Digest.hex([UInt8(scalar.value)])
            default: out.unicodeScalars.append(scalar)
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
