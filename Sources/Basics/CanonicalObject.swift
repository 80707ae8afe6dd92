/// A JSON object's canonical text (see `JSONValue.canonical`) built member by member, so a writer
/// that adds members after hashing the others — the audit trail's `hash` and `hmac` — encodes
/// each member once.
package struct CanonicalObject {
    /// Every member's `"key":value` text, one after another, in the order they were encoded.
    private var texts: [UInt8] = []
    /// The members in canonical order (keys by their UTF-8 bytes), each with its text in `texts`.
    private var members: [(key: String, prefix: UInt64, text: Range<Int>)] = []

    /// The members of `fields` and of `adding` (which wins over `fields` for a key in both),
    /// but for the `excluded` keys.
    package init(
        _ fields: [String: JSONValue], excluding excluded: [String] = [], adding extra: [(String, JSONValue)] = []
    ) {
        // Sorted on each key's first eight bytes, then (rarely) on the whole key: comparing
        // whole keys was most of a record's sorting.
        var all: [(prefix: UInt64, key: String, value: JSONValue)] = []
        all.reserveCapacity(fields.count + extra.count)
        for (key, value) in fields where !excluded.contains(key) && !extra.contains(where: { $0.0 == key }) {
            all.append((Self.prefix(of: key), key, value))
        }
        for (key, value) in extra where !excluded.contains(key) { all.append((Self.prefix(of: key), key, value)) }
        all.sort { $0.prefix != $1.prefix ? $0.prefix < $1.prefix : JSONValue.precedes($0.key, $1.key) }
        texts.reserveCapacity(512)
        members.reserveCapacity(all.count + 2)
        for (prefix, key, value) in all { members.append((key, prefix, encode(key, value))) }
    }

    /// The key's first eight UTF-8 bytes as a big-endian number (zeros after a shorter key):
    /// two keys whose prefixes differ are ordered as their prefixes are.
    static func prefix(of key: String) -> UInt64 {
        var value: UInt64 = 0
        var count = 0
        for byte in key.utf8 {
            guard count < 8 else { break }
            value = value << 8 | UInt64(byte)
            count += 1
        }
        return count == 0 ? 0 : value << (8 * UInt64(8 - count))
    }

    /// Adds a member where canonical order puts it, replacing one with the same key.
    package mutating func insert(_ key: String, _ value: JSONValue) {
        let text = encode(key, value)
        let prefix = Self.prefix(of: key)
        // The first member not before the new key: the same key, if present, sits there.
        let at =
            members.firstIndex { member in
                member.prefix != prefix ? member.prefix > prefix : !JSONValue.precedes(member.key, key)
            } ?? members.count
        if at < members.count, members[at].key == key {
            members[at].text = text
        } else {
            members.insert((key, prefix, text), at: at)
        }
    }

    /// The object's canonical text.
    package var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(texts.count + members.count + 2)
        write(into: &out)
        return out
    }

    /// Appends the object's canonical text to `out` (which grows as arrays do: reserving the
    /// exact size here would copy a long buffer once per record).
    package func write(into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for (i, member) in members.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: texts[member.text])
        }
        out.append(UInt8(ascii: "}"))
    }

    private mutating func encode(_ key: String, _ value: JSONValue) -> Range<Int> {
        let start = texts.count
        JSONValue.quote(key, into: &texts)
        texts.append(UInt8(ascii: ":"))
        value.write(into: &texts)
        return start..<texts.count
    }
}
