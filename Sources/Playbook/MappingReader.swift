import RunbookDiagnostics
import RunbookYAML

/// Reads the keys of one YAML mapping, reporting unknown keys with a "did you mean" hint.
struct MappingReader {
    let node: YAML.Node
    /// The allowed keys in document order. A list, not a dictionary: a mapping has a few keys,
    /// and comparing short strings costs less than hashing them (a step's keys are looked up
    /// about twenty times). A key written twice (already an error) reads its last value.
    private let values: [Entry]
    /// Bit n set when a key of n bytes is present (bit 63: 63 or more): a key of a length no
    /// present key has is told absent at once (a step is asked for some fifteen keys it lacks).
    private let lengths: UInt64

    /// A key with its length in bytes, which tells most keys apart before their text is compared.
    private struct Entry {
        let key: String
        let length: Int
        let pair: YAML.Node.Pair
    }

    /// Nil (after reporting) when `node` is not a mapping.
    init?(_ node: YAML.Node, what: String, allowed: [String], diagnostics: inout [Diagnostic]) {
        guard let pairs = node.mapping else {
            diagnostics.append(.error("\(what) must be a mapping, found \(node.kindDescription)", at: node.start))
            return nil
        }
        self.node = node
        var values: [Entry] = []
        values.reserveCapacity(pairs.count)
        for pair in pairs {
            guard let key = pair.key.scalarValue else {
                diagnostics.append(.error("keys of \(what) must be plain names", at: pair.key.start))
                continue
            }
            let length = key.utf8.count
            if allowed.contains(where: { Self.same($0, key, length: length) }) {
                values.append(Entry(key: key, length: length, pair: pair))
            } else {
                diagnostics.append(
                    .error(
                        "unknown key '\(key)' in \(what)", at: pair.key.start,
                        hint: Suggestion.hint(for: key, in: allowed)
                            ?? "allowed keys: \(allowed.joined(separator: ", "))"))
            }
        }
        self.values = values
        lengths = values.reduce(0) { $0 | Self.lengthBit($1.length) }
    }

    /// True when `name`, one of the keys a mapping allows, is `key`.
    ///
    /// The allowed keys are plain lowercase names (`on_failure`, `max_failures`): canonically
    /// equal to no text but their own bytes (only three scalars beyond ASCII decompose into
    /// ASCII, into "K", ";" and "`"; see `WordSet`), so keys of another byte count are told
    /// apart without the general string comparison, which was a visible part of decoding.
    /// `length` is the byte count of `key`, worked out once for all the names it is compared with.
    private static func same(_ name: String, _ key: String, length: Int) -> Bool {
        assert(Self.isPlainName(name), "allowed keys are plain lowercase names")
        return name.utf8.count == length && name == key
    }

    /// The last entry of `name` (one of the allowed keys), found from the end.
    private func entry(_ name: String) -> Int? {
        assert(Self.isPlainName(name), "allowed keys are plain lowercase names")
        let length = name.utf8.count
        guard lengths & Self.lengthBit(length) != 0 else { return nil }
        var index = values.count
        while index > 0 {
            index -= 1
            if values[index].length == length, values[index].key == name { return index }
        }
        return nil
    }

    /// Lowercase letters, digits and `_`: what every allowed key is spelt with.
    private static func isPlainName(_ name: String) -> Bool {
        name.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
    }

    private static func lengthBit(_ length: Int) -> UInt64 { 1 << UInt64(min(length, 63)) }

    private func pair(_ key: String) -> YAML.Node.Pair? { entry(key).map { values[$0].pair } }

    subscript(key: String) -> YAML.Node? { pair(key)?.value }

    /// Where a key was written (for errors about the key itself).
    func keyLocation(_ key: String) -> SourceLocation? { pair(key)?.key.start }

    func has(_ key: String) -> Bool { entry(key) != nil }

    /// The present keys among `keys`, in document order (of their last occurrence).
    func present(_ keys: [String]) -> [String] {
        // From the end, so each key counts at its last occurrence, in one pass however often
        // a key is repeated; the few keys found are their own record of what was seen.
        var found: [String] = []
        for entry in values.reversed()
        where keys.contains(where: { Self.same($0, entry.key, length: entry.length) }) && !found.contains(entry.key) {
            found.append(entry.key)
        }
        return found.reversed()
    }

    /// Reports a missing required key at the mapping's start.
    func require(_ key: String, what: String, hint: String? = nil, diagnostics: inout [Diagnostic]) -> YAML.Node? {
        if let value = pair(key)?.value { return value }
        diagnostics.append(.error("\(what) is missing required key '\(key)'", at: node.start, hint: hint))
        return nil
    }
}
