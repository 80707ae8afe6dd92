import Testing

@testable import RunbookBasics

/// `WordSet` answers as `Set<String>` does, while refusing most words by their bytes.
@Suite struct WordSetTests {
    private let members = ["if", "then", "[", "!", "}", "function", "busybox-awk", "-eq", "", "K"]

    @Test func membersAreFoundAndOthersAreNot() {
        let set = WordSet(members)
        for word in members { #expect(set.contains(word), "\(word)") }
        for word in ["i", "ifx", "fi", "[[", "then ", " then", "systemctl", "Function", "-eq=", "k", "KK"] {
            #expect(!set.contains(word), "\(word)")
        }
    }

    @Test func answersAsASetOfStringsDoesForEveryShapeOfWord() {
        let set = WordSet(members)
        let plain = Set(members)
        // Lengths on both sides of the 63-byte bucket, every first byte, and words that are not
        // ASCII, including ones canonically equal to a member (U+212A KELVIN SIGN is "K").
        var words = members + ["\u{212A}", "i\u{0301}f", "é", "e\u{0301}", String(repeating: "a", count: 62)]
        words += [String(repeating: "a", count: 63), String(repeating: "a", count: 200)]
        words += (0..<128).map { String(UnicodeScalar(UInt8($0))) + "f" }
        for word in words { #expect(set.contains(word) == plain.contains(word), "\(word.debugDescription)") }
        #expect(set.contains("\u{212A}"))
    }

    @Test func onlyThreeScalarsBeyondASCIICanMakeAWordEqualToAMember() {
        // U+212A is "K", U+037E is ";" and U+1FEF is "`" under canonical equivalence; the
        // shell scanner's placeholder for a template (U+FFFC) and every other scalar beyond
        // ASCII can never equal an ASCII word.
        let members = ["K", ";;", "`", "Kill", "a;b", "if", "\u{FFFC}"]
        let set = WordSet(members.filter { $0.utf8.allSatisfy { $0 < 0x80 } })
        let plain = Set(set.words)
        let words = [
            "\u{212A}", "\u{212A}ill", "\u{037E};", ";\u{037E}", "a\u{037E}b", "\u{1FEF}", "\u{FFFC}", "\u{FFFC}-0",
            "i\u{FFFC}", "\u{0130}f", "if\u{0301}", "\u{212B}", "K\u{0301}", "\u{CD}", "\u{1FEE}", "\u{2129}",
        ]
        for word in words { #expect(set.contains(word) == plain.contains(word), "\(word.debugDescription)") }
        #expect(set.contains("\u{212A}ill") && set.contains("\u{037E}\u{037E}") && set.contains("\u{1FEF}"))
        #expect(!set.contains("\u{FFFC}-0"))
    }

    @Test func aSetWithNoMemberAnotherScalarSpellsDecidesByFirstByteAndLength() {
        // No member holds K, ; or a backtick: only an ASCII word can equal one, and the first
        // byte and length are looked at before the rest. Every scalar of the first three planes,
        // alone and before "f", against every other ASCII character and a few words.
        let ascii = (0..<128).map { String(UnicodeScalar(UInt8($0))) }.filter { !["K", ";", "`"].contains($0) }
        let members = ascii + ["if", "then", "", "busybox-awk", "-eq", String(repeating: "a", count: 70)]
        let set = WordSet(members)
        let plain = Set(members)
        for value in UInt32(0x80)..<0x3_0000 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            for word in [String(scalar), String(scalar) + "f", "i" + String(scalar)] where set.contains(word) {
                Issue.record("U+\(String(value, radix: 16)) found in \(word.debugDescription)")
            }
        }
        var words =
            members + ["K", "\u{212A}", ";", "\u{037E}", "`", "\u{1FEF}", "i\u{0301}f", "ifx", "Then", "\u{FFFC}"]
        words += [String(repeating: "a", count: 63), String(repeating: "a", count: 200), "t", "the", "thenn"]
        words += (0..<128).map { String(UnicodeScalar(UInt8($0))) + "f" }
        for word in words { #expect(set.contains(word) == plain.contains(word), "\(word.debugDescription)") }
    }

    @Test func noOtherScalarIsEqualToAnASCIICharacter() {
        // Swift's own Unicode tables decide equality: every scalar of the first three planes
        // against every ASCII character, through the WordSet and through a Set<String>.
        let ascii = (0..<128).map { String(UnicodeScalar(UInt8($0))) }
        let set = WordSet(ascii)
        let plain = Set(ascii)
        var equal: [UInt32] = []
        for value in UInt32(0x80)..<0x3_0000 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let word = String(scalar)
            let found = set.contains(word)
            if found != plain.contains(word) { Issue.record("U+\(String(value, radix: 16)) answered differently") }
            if found { equal.append(value) }
        }
        #expect(equal == [0x037E, 0x1FEF, 0x212A])
    }

    @Test func aWordNeedsAMemberWithBothItsFirstByteAndItsLength() {
        // "systemctl" starts as "ssh" does and is as long as "readarray", yet matches neither.
        let set = WordSet(["ssh", "readarray", "su"])
        for word in ["systemctl", "sh", "rea", "s", "suu", "readarrays", "ssh", "su", "readarray"] {
            #expect(set.contains(word) == ["ssh", "readarray", "su"].contains(word), "\(word)")
        }
    }

    @Test func longMembersShareTheLastLengthBucket() {
        let long = String(repeating: "x", count: 70)
        let set = WordSet([long])
        #expect(set.contains(long))
        #expect(!set.contains(String(repeating: "x", count: 64)))
        #expect(!set.contains(String(repeating: "x", count: 69)))
    }

    @Test func anArrayLiteralMakesTheSameSet() {
        let set: WordSet = ["sh", "bash"]
        #expect(set.words == ["sh", "bash"])
        #expect(set.contains("bash") && !set.contains("zsh"))
    }

    @Test func aWordMapFindsTheValueOfEveryMemberAndNothingElse() {
        let map: WordMap<Int> = ["sudo": 0, "timeout": 1, "K": 2]
        #expect(map["sudo"] == 0 && map["timeout"] == 1 && map["K"] == 2)
        // As a dictionary does: a word canonically equal to a member finds it.
        #expect(map["\u{212A}"] == 2)
        for word in ["", "sud", "sudoo", "systemctl", "Sudo", "t"] { #expect(map[word] == nil, "\(word)") }
    }
}
