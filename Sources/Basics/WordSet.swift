/// A fixed set of ASCII words, asked about many words that are not in it.
///
/// The shell scanner asks after every word whether it is a keyword, a shell, a wrapper and so
/// on; nearly every answer is no. A word whose byte count or first byte no member has is
/// refused by two bit tests, without hashing. Membership means what `Set<String>` means: a
/// word that is not ASCII is always looked up, since Swift compares strings by canonical
/// equivalence and a non-ASCII scalar can be equivalent to an ASCII one (U+212A KELVIN SIGN
/// is `K`).
package struct WordSet: Sendable, ExpressibleByArrayLiteral {
    package let words: Set<String>
    /// Bit n: some member has n bytes (n < 63); bit 63: some member has 63 or more.
    private let lengths: UInt64
    /// Bit b of the pair: some member starts with byte b (members are ASCII, b < 128).
    private let firstBytes: (low: UInt64, high: UInt64)

    package init(_ words: some Sequence<String>) {
        let words = Set(words)
        precondition(words.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } }, "a WordSet holds ASCII words")
        self.words = words
        var lengths: UInt64 = 0
        var low: UInt64 = 0
        var high: UInt64 = 0
        for word in words {
            lengths |= Self.lengthBit(word.utf8.count)
            if let first = word.utf8.first {
                if first < 64 { low |= 1 << first } else { high |= 1 << (first - 64) }
            }
        }
        self.lengths = lengths
        self.firstBytes = (low, high)
    }

    package init(arrayLiteral words: String...) {
        self.init(words)
    }

    package func contains(_ word: String) -> Bool {
        let utf8 = word.utf8
        if lengths & Self.lengthBit(utf8.count) != 0, let first = utf8.first, hasFirstByte(first) {
            return words.contains(word)
        }
        if utf8.isEmpty { return words.contains(word) }
        // Refused by its bytes: the answer stands only for an ASCII word.
        return utf8.contains { $0 >= 0x80 } && words.contains(word)
    }

    private func hasFirstByte(_ byte: UInt8) -> Bool {
        if byte < 64 { return firstBytes.low & (1 << byte) != 0 }
        if byte < 128 { return firstBytes.high & (1 << (byte - 64)) != 0 }
        return true
    }

    private static func lengthBit(_ count: Int) -> UInt64 {
        1 << UInt64(min(count, 63))
    }
}
