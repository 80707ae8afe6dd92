import RunbookBasics

/// The commands most steps run — a program and its arguments, words of letters, digits and
/// a few marks, with templates among them — placed without the scanner's machinery.
///
/// In such a command nothing but the words decides where a template stands: no quote,
/// substitution, operator, redirection, comment, assignment or subscript can be written in it,
/// and no word the scanner treats apart (a reserved word, `declare` and its kin) may be among
/// them. Every template is then an unquoted word of the one simple command, and what the
/// command does with it is asked of the same rules the scanner asks (`apply`), with the same
/// words before it. Anything else returns nil and is scanned in full. The fuzz target for
/// templates checks, for every input, that this path agrees with the full scan.
extension ShellScanner {
    /// The slots of `parts` when they form a plain command; nil otherwise.
    static func plainSlots(of parts: [Template.Part]) -> [ShellSlot]? {
        var scratch = Scratch()
        return plainSlots(of: parts, reusing: &scratch)
    }

    /// `plainSlots(of:)`, reading the words into the command frame kept in `scratch`.
    static func plainSlots(of parts: [Template.Part], reusing scratch: inout Scratch) -> [ShellSlot]? {
        if scratch.commands.isEmpty {
            scratch.commands.append(CommandFrame(closer: .end))
        } else {
            scratch.commands[0].renew(closer: .end)
        }
        return plainSlots(of: parts, in: &scratch.commands[0])
    }

    private static func plainSlots(of parts: [Template.Part], in frame: inout CommandFrame) -> [ShellSlot]? {
        var slots: [ShellSlot] = []
        // A literal part's words are read into the frame; a substitution is a placeholder in
        // the word being read, and its slot is what the command does with that word.
        for k in parts.indices {
            switch parts[k] {
            case .text(let text):
                guard addPlainWords(of: text, to: &frame) else { return nil }
            case .expression:
                add(placeholderWord, to: &frame)
                var slot = ShellSlot(context: .unquoted)
                apply(&frame, to: &slot)
                slots.append(slot)
            }
        }
        guard endPlainWord(&frame) else { return nil }
        return slots
    }

    /// Reads the words of a literal part into `frame`; false when a byte or a word is not plain.
    private static func addPlainWords(of text: String, to frame: inout CommandFrame) -> Bool {
        text.withUTF8Bytes { bytes -> Bool in
            var start = 0
            for i in bytes.indices {
                let byte = bytes[i]
                if byte == UInt8(ascii: " ") {
                    if start < i { add(String(decoding: bytes[start..<i], as: UTF8.self), to: &frame) }
                    guard endPlainWord(&frame) else { return false }
                    start = i + 1
                } else if !isPlain(byte) {
                    return false
                }
            }
            if start < bytes.count { add(String(decoding: bytes[start...], as: UTF8.self), to: &frame) }
            return true
        }
    }

    /// Adds to the word being read, or starts it.
    private static func add(_ text: String, to frame: inout CommandFrame) {
        if frame.word == nil { frame.word = text } else { frame.word! += text }
    }

    /// Letters, digits and `_ . / : , @ % + -`: characters that are part of a word wherever
    /// they stand and are no word the scanner treats apart.
    private static func isPlain(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: ","),
            UInt8(ascii: "@"), UInt8(ascii: "%"), UInt8(ascii: "+"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    /// Ends the word being read, if any; false when it is a word the scanner treats apart.
    private static func endPlainWord(_ frame: inout CommandFrame) -> Bool {
        guard let word = frame.word else { return true }
        frame.word = nil
        guard !isSpecialWord(word) else { return false }
        frame.words.append(word)
        return true
    }
}
