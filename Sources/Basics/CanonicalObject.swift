/// A JSON object's canonical text (see `JSONValue.canonical`) built member by member, so a writer
/// that adds members after hashing the others — the audit trail's `seq`, `prev`, `hash` and
/// `hmac` — encodes each member once, and an event's members go straight into a record's text
/// without a dictionary in between.
///
/// Members are kept in canonical order (keys by their UTF-8 bytes) as they are added; adding a
/// key that is present replaces its value, as a dictionary's assignment does.
package struct CanonicalObject {
    /// Every member's `"key":value` text, one after another, in the order they were added
    /// (a replaced member's old text stays, unused).
    private var texts: [UInt8] = []
    /// Every member's key as its raw UTF-8 bytes, for ordering keys that share their first eight.
    private var keys: [UInt8] = []
    /// The members in canonical order. Offsets, not strings: inserting a member moves plain
    /// bytes instead of retaining and releasing keys.
    private var members: [Member] = []

    private struct Member {
        /// The key's first eight UTF-8 bytes as a big-endian number (zeros after a shorter key):
        /// two keys whose prefixes differ are ordered as their prefixes are.
        var prefix: UInt64
        var key: Range<Int32>
        var text: Range<Int32>
    }

    package init() {}

    /// The members of `fields` and of `adding` (which wins over `fields` for a key in both),
    /// but for the `excluded` keys.
    package init(
        _ fields: [String: JSONValue], excluding excluded: [String] = [], adding extra: [(String, JSONValue)] = []
    ) {
        reserveCapacity(members: fields.count + extra.count)
        for (key, value) in fields where !excluded.contains(key) { add(key, value) }
        for (key, value) in extra where !excluded.contains(key) { add(key, value) }
    }

    /// Room for `count` members of a few dozen bytes each.
    package mutating func reserveCapacity(members count: Int) {
        members.reserveCapacity(count)
        keys.reserveCapacity(count * 8)
        texts.reserveCapacity(count * 32)
    }

    /// Removes every member, keeping the storage for the next object.
    package mutating func removeAll() {
        texts.removeAll(keepingCapacity: true)
        keys.removeAll(keepingCapacity: true)
        members.removeAll(keepingCapacity: true)
    }

    /// True when a member has this key.
    package func contains(_ key: String) -> Bool {
        var key = key
        return key.withUTF8 { bytes in
            let prefix = Self.prefix(of: bytes)
            return members.contains { order($0, prefix, bytes) == 0 }
        }
    }

    /// Adds a member where canonical order puts it, replacing one with the same key.
    package mutating func add(_ key: String, _ value: JSONValue) {
        var key = key
        key.withUTF8 { add(key: $0, value) }
    }

    private mutating func add(key: UnsafeBufferPointer<UInt8>, _ value: JSONValue) {
        let prefix = Self.prefix(of: key)
        // Members mostly arrive in order or nearly: look for the place from the end.
        var at = members.count
        var comparison = 1
        while at > 0 {
            comparison = order(members[at - 1], prefix, key)
            if comparison <= 0 { break }
            at -= 1
        }
        let textStart = Int32(texts.count)
        texts.append(UInt8(ascii: "\""))
        JSONValue.escape(key, into: &texts)
        texts.append(UInt8(ascii: "\""))
        texts.append(UInt8(ascii: ":"))
        value.write(into: &texts)
        let text = textStart..<Int32(texts.count)
        if at > 0, comparison == 0 {
            members[at - 1].text = text
            return
        }
        let keyStart = Int32(keys.count)
        keys.append(contentsOf: key)
        let member = Member(prefix: prefix, key: keyStart..<Int32(keys.count), text: text)
        if at == members.count { members.append(member) } else { members.insert(member, at: at) }
    }

    /// How `member`'s key compares with `key`, whose prefix is `prefix`, in canonical order:
    /// by the prefixes, and only when they are equal by the whole keys.
    private func order(_ member: Member, _ prefix: UInt64, _ key: UnsafeBufferPointer<UInt8>) -> Int {
        if member.prefix != prefix { return member.prefix < prefix ? -1 : 1 }
        return keys.withUnsafeBufferPointer { JSONValue.order(Self.slice($0, member.key), key) }
    }

    static func prefix(of key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var value: UInt64 = 0
        for i in 0..<8 { value = value << 8 | UInt64(i < key.count ? key[i] : 0) }
        return value
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
        write(into: &out, merging: CanonicalObject())
    }

    /// Appends the canonical text of this object with `other`'s members added (`other` wins
    /// for a key in both), leaving both as they are: a record's members are encoded once, and
    /// its place in the chain is merged in when it is written.
    package func write(into out: inout [UInt8], merging other: CanonicalObject) {
        out.append(UInt8(ascii: "{"))
        texts.withUnsafeBufferPointer { myTexts in
            other.texts.withUnsafeBufferPointer { theirTexts in
                other.keys.withUnsafeBufferPointer { theirKeys in
                    var i = 0
                    var j = 0
                    var first = true
                    func put(_ texts: UnsafeBufferPointer<UInt8>, _ member: Member) {
                        if !first { out.append(UInt8(ascii: ",")) }
                        first = false
                        out.append(contentsOf: Self.slice(texts, member.text))
                    }
                    while i < members.count || j < other.members.count {
                        guard i < members.count else {
                            put(theirTexts, other.members[j])
                            j += 1
                            continue
                        }
                        guard j < other.members.count else {
                            put(myTexts, members[i])
                            i += 1
                            continue
                        }
                        let theirs = other.members[j]
                        let comparison = order(members[i], theirs.prefix, Self.slice(theirKeys, theirs.key))
                        if comparison < 0 {
                            put(myTexts, members[i])
                            i += 1
                        } else {
                            put(theirTexts, theirs)
                            j += 1
                            if comparison == 0 { i += 1 }
                        }
                    }
                }
            }
        }
        out.append(UInt8(ascii: "}"))
    }

    /// The bytes of `buffer` at `range` (a member's key or text).
    private static func slice(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int32>) -> UnsafeBufferPointer<UInt8>
    {
        UnsafeBufferPointer(rebasing: buffer[Int(range.lowerBound)..<Int(range.upperBound)])
    }
}

/// Something an event's members can be added to: a dictionary (`--json`, reports) or a
/// record's canonical text (the audit trail).
package protocol JSONMembers {
    mutating func add(_ key: String, _ value: JSONValue)
}

extension CanonicalObject: JSONMembers {}

extension Dictionary: JSONMembers where Key == String, Value == JSONValue {
    package mutating func add(_ key: String, _ value: JSONValue) { self[key] = value }
}
