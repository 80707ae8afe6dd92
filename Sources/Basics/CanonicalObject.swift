/// A JSON object's canonical text (see `JSONValue.canonical`) built member by member, so a writer
/// that adds members after hashing the others — the audit trail's `hash` and `hmac` — encodes
/// each member once.
package struct CanonicalObject {
    /// Every member's `"key":value` text, one after another, in the order they were encoded.
    private var texts: [UInt8] = []
    /// The members in canonical order (keys by their UTF-8 bytes), each with its text in `texts`.
    private var members: [(key: String, text: Range<Int>)] = []

    /// The members of `fields` and of `adding` (which wins over `fields` for a key in both),
    /// but for the `excluded` keys.
    package init(
        _ fields: [String: JSONValue], excluding excluded: [String] = [], adding extra: [(String, JSONValue)] = []
    ) {
        var all: [(key: String, value: JSONValue)] = []
        all.reserveCapacity(fields.count + extra.count)
        for (key, value) in fields where !excluded.contains(key) && !extra.contains(where: { $0.0 == key }) {
            all.append((key, value))
        }
        for (key, value) in extra where !excluded.contains(key) { all.append((key, value)) }
        all.sort { JSONValue.precedes($0.key, $1.key) }
        texts.reserveCapacity(512)
        members.reserveCapacity(all.count + 2)
        for (key, value) in all { members.append((key, encode(key, value))) }
    }

    /// Adds a member where canonical order puts it, replacing one with the same key.
    package mutating func insert(_ key: String, _ value: JSONValue) {
        let text = encode(key, value)
        if let same = members.firstIndex(where: { $0.key == key }) {
            members[same].text = text
            return
        }
        let at = members.firstIndex { !JSONValue.precedes($0.key, key) } ?? members.count
        members.insert((key, text), at: at)
    }

    /// The object's canonical text.
    package var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(texts.count + members.count + 2)
        out.append(UInt8(ascii: "{"))
        for (i, member) in members.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: texts[member.text])
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    private mutating func encode(_ key: String, _ value: JSONValue) -> Range<Int> {
        let start = texts.count
        JSONValue.quote(key, into: &texts)
        texts.append(UInt8(ascii: ":"))
        value.write(into: &texts)
        return start..<texts.count
    }
}
