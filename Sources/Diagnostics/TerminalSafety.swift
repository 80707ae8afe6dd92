/// Text from playbooks, params and step output is shown to the operator, and must not drive
/// their terminal: an escape sequence could clear lines, recolour or retitle, and a bidi
/// override could reorder what is read, and so make a shown command look like another.
extension String {
    /// The text with control characters made visible: ESC as `\e`, CR as `\r`, other C0
    /// controls and DEL in caret form (`^G`, `^?`), C1 controls and bidi controls as
    /// `\u{9b}`, `\u{202e}`; newline and tab are kept. Works on UTF-8 bytes, since step
    /// output passes through here at full speed.
    package var neutralizingControls: String {
        let clean = utf8.withContiguousStorageIfAvailable { bytes in
            for b in bytes where Self.mayStartControl(b) { return false }
            return true
        }
        if clean == true { return self }
        return withNeutralizedControls { String(decoding: $0, as: UTF8.self) }
    }

    /// `body` given the bytes of `neutralizingControls` without a string made of them: a step's
    /// output goes to the terminal this way, since making the string checks every byte again as
    /// UTF-8, which was as much work as making the controls visible.
    package func withNeutralizedControls<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        var copy = self
        return copy.withUTF8 { bytes in
            guard let first = bytes.firstIndex(where: Self.mayStartControl) else { return body(bytes) }
            // At most 3 bytes out per byte in: "^@" for one, "\u{9b}" for two, "\u{202e}" for three.
            let out = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count * 3 + 16)
            defer { out.deallocate() }
            var n = 0
            func put(_ b: UInt8) {
                out[n] = b
                n += 1
            }
            for k in 0..<first { put(bytes[k]) }
            var i = first
            while i < bytes.count {
                let b = bytes[i]
                if b == 0xC2 || b == 0xE2, let width = Self.controlWidth(bytes, at: i) {
                    let scalar = String(
                        decoding: UnsafeBufferPointer(rebasing: bytes[i..<(i + width)]), as: UTF8.self
                    )
                    .unicodeScalars.first!.value
                    for c in "\\u{\(String(scalar, radix: 16))}".utf8 { put(c) }
                    i += width
                    continue
                }
                switch b {
                case 0x1B: put(0x5C); put(0x65)  // \e
                case 0x0D: put(0x5C); put(0x72)  // \r
                case 0x09, 0x0A: put(b)
                case 0x00..<0x20: put(0x5E); put(b + 0x40)  // ^@ … ^_
                case 0x7F: put(0x5E); put(0x3F)  // ^?
                default: put(b)
                }
                i += 1
            }
            return body(UnsafeBufferPointer(rebasing: out[..<n]))
        }
    }

    /// A byte that may begin a control: C0 (but newline and tab), DEL, or the lead byte of a C1 or bidi control.
    private static func mayStartControl(_ b: UInt8) -> Bool {
        (b < 0x20 && b != 0x0A && b != 0x09) || b == 0x7F || b == 0xC2 || b == 0xE2
    }

    /// The byte length of a C1 control (U+0080–U+009F) or a bidi control (U+202A–U+202E,
    /// U+2066–U+2069) starting at `i`, or nil.
    private static func controlWidth(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        if bytes[i] == 0xC2, i + 1 < bytes.count, (0x80...0x9F).contains(bytes[i + 1]) { return 2 }
        if bytes[i] == 0xE2, i + 2 < bytes.count {
            if bytes[i + 1] == 0x80, (0xAA...0xAE).contains(bytes[i + 2]) { return 3 }
            if bytes[i + 1] == 0x81, (0xA6...0xA9).contains(bytes[i + 2]) { return 3 }
        }
        return nil
    }
}
