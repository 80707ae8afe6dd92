/// A fixed set of ASCII words, asked about many words that are not in it.
///
/// The shell scanner asks after every word whether it is a keyword, a shell, a wrapper and so
/// on; nearly every answer is no. A word is refused without hashing when no member has both
/// its first byte and its length (one bit test in a table of lengths by first byte).
/// Membership means what `Set<String>` means. Swift compares strings by canonical
/// equivalence, and three scalars beyond ASCII decompose into ASCII (U+212A KELVIN SIGN is
/// `K`, U+037E GREEK QUESTION MARK is `;`, U+1FEF GREEK VARIA is a backtick): a word with one
/// of them is looked up; a word with any other non-ASCII scalar (the shell scanner's
/// placeholder for a template, say) cannot equal an ASCII member and is refused.
package struct WordSet: Sendable, ExpressibleByArrayLiteral {
    package let words: Set<String>
    /// For each first byte (members are ASCII, so below 128), the lengths of the members that
    /// start with it: bit n for n bytes (n < 63), bit 63 for 63 or more.
    private let lengthsByFirstByte: [UInt64]
    /// Some member holds `K`, `;` or a backtick, which a word may spell another way.
    private let holdsDecomposable: Bool

    package init(_ words: some Sequence<String>) {
        let words = Set(words)
        precondition(words.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } }, "a WordSet holds ASCII words")
        self.words = words
        holdsDecomposable = words.contains { $0.utf8.contains { $0 == 0x4B || $0 == 0x3B || $0 == 0x60 } }
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
        !word.withUTF8Bytes(refuses) && words.contains(word)
    }

    /// True when no member can equal the word of these bytes: it holds a scalar that no ASCII
    /// text is canonically equivalent to, or it is ASCII and no member has its first byte and length.
    private func refuses(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // Without such a member, only an ASCII word can equal one: its first byte and length
        // decide most words before any other byte is read.
        if !holdsDecomposable {
            guard let first = bytes.first else { return false }
            guard first < 0x80, lengthsByFirstByte[Int(first)] & Self.lengthBit(bytes.count) != 0 else { return true }
            return !String.isASCII(bytes)
        }
        var ascii = true
        var i = 0
        while i < bytes.count {
            guard bytes[i] >= 0x80 else {
                i += 1
                continue
            }
            let length = Self.asciiEquivalentLength(bytes, at: i)
            guard length > 0 else { return true }
            ascii = false
            i += length
        }
        guard ascii else { return false }  // rare: looked up
        guard let first = bytes.first else { return false }
        return lengthsByFirstByte[Int(first)] & Self.lengthBit(bytes.count) == 0
    }

    /// The length of the UTF-8 sequence at `i` when it encodes one of the three scalars whose
    /// canonical decomposition is ASCII (U+037E, U+1FEF, U+212A; Unicode has no others), else 0.
    private static func asciiEquivalentLength(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        func matches(_ sequence: [UInt8]) -> Bool {
            i + sequence.count <= bytes.count && sequence.indices.allSatisfy { bytes[i + $0] == sequence[$0] }
        }
        switch bytes[i] {
        case 0xCD: return matches([0xCD, 0xBE]) ? 2 : 0
        case 0xE1: return matches([0xE1, 0xBF, 0xAF]) ? 3 : 0
        case 0xE2: return matches([0xE2, 0x84, 0xAA]) ? 3 : 0
        default: return 0
        }
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
