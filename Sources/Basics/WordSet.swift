/// A fixed set of ASCII words, asked about many words that are not in it.
///
/// The shell scanner asks after every word whether it is a keyword, a shell, a wrapper and so
/// on; nearly every answer is no. A word is refused without hashing when no member has both
/// its first byte and its length (one bit test in a table of lengths by first byte).
/// Membership means what `Set<String>` means: a word that is not ASCII is always looked up,
/// since Swift compares strings by canonical equivalence and a non-ASCII scalar can be
/// equivalent to an ASCII one (U+212A KELVIN SIGN is `K`).
package struct WordSet: Sendable, ExpressibleByArrayLiteral {
    package let words: Set<String>
    /// For each first byte (members are ASCII, so below 128), the lengths of the members that
    /// start with it: bit n for n bytes (n < 63), bit 63 for 63 or more.
    private let lengthsByFirstByte: [UInt64]

    package init(_ words: some Sequence<String>) {
        let words = Set(words)
        precondition(words.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } }, "a WordSet holds ASCII words")
        self.words = words
        var table = [UInt64](repeating: 0, count: 128)
        for word in words {
            if let first = word.utf8.first { table[Int(first)] |= Self.lengthBit(word.utf8.count) }
        }
        lengthsByFirstByte = table
    }

    package init(arrayLiteral words: String...) {
        self.init(words)
    }

    package func contains(_ word: String) -> Bool {
        let utf8 = word.utf8
        guard let first = utf8.first, first < 128 else { return words.contains(word) }
        if lengthsByFirstByte[Int(first)] & Self.lengthBit(utf8.count) != 0 { return words.contains(word) }
        // Refused by its bytes: the answer stands only for an ASCII word.
        return utf8.contains { $0 >= 0x80 } && words.contains(word)
    }

    private static func lengthBit(_ count: Int) -> UInt64 {
        1 << UInt64(min(count, 63))
    }
}

/// A fixed map from ASCII words to values, asked about many words that are not in it: a
/// `WordSet` refuses most of those before the dictionary is consulted.
package struct WordMap<Value: Sendable>: Sendable, ExpressibleByDictionaryLiteral {
    private let names: WordSet
    private let values: [String: Value]

    package init(_ pairs: some Sequence<(String, Value)>) {
        values = Dictionary(uniqueKeysWithValues: pairs)
        names = WordSet(values.keys)
    }

    package init(dictionaryLiteral pairs: (String, Value)...) {
        self.init(pairs)
    }

    package subscript(word: String) -> Value? { names.contains(word) ? values[word] : nil }
}
