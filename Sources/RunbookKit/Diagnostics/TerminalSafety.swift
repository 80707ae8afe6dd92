/// Text from playbooks, params and step output is shown to the operator, and must not drive
/// their terminal: an escape sequence could clear lines, recolour or retitle, and a bidi
/// override could reorder what is read, and so make a shown command look like another.
extension String {
    /// The text with control characters made visible: ESC as `\e`, CR as `\r`, other C0
    /// controls and DEL in caret form (`^G`, `^?`), C1 controls and bidi controls as
    /// `\u{9b}`, `\u{202e}`; newline and tab are kept. Works on UTF-8 bytes, since step
    /// output passes through here at full speed.
    public var neutralizingControls: String {
        let clean = utf8.withContiguousStorageIfAvailable { !$0.contains(where: Self.mayStartControl) }
        if clean == true { return self }
        var out = [UInt8]()
        let bytes = Array(utf8)
        out.reserveCapacity(bytes.count + 16)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if let width = Self.controlWidth(bytes, at: i) {
                let scalar = String(decoding: bytes[i..<(i + width)], as: UTF8.self).unicodeScalars.first!.value
                out += Array("\\u{\(String(scalar, radix: 16))}".utf8)
                i += width
                continue
            }
            switch b {
            case 0x1B:
                out.append(0x5C)
                out.append(0x65)  // \e
            case 0x0D:
                out.append(0x5C)
                out.append(0x72)  // \r
            case 0x09, 0x0A: out.append(b)
            case 0x00..<0x20:
                out.append(0x5E)
                out.append(b + 0x40)  // ^@ … ^_
            case 0x7F:
                out.append(0x5E)
                out.append(0x3F)  // ^?
            default: out.append(b)
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A byte that may begin a control: C0 (but newline and tab), DEL, or the lead byte of a C1 or bidi control.
    private static func mayStartControl(_ b: UInt8) -> Bool {
        (b < 0x20 && b != 0x0A && b != 0x09) || b == 0x7F || b == 0xC2 || b == 0xE2
    }

    /// The byte length of a C1 control (U+0080–U+009F) or a bidi control (U+202A–U+202E,
    /// U+2066–U+2069) starting at `i`, or nil.
    private static func controlWidth(_ bytes: [UInt8], at i: Int) -> Int? {
        if bytes[i] == 0xC2, i + 1 < bytes.count, (0x80...0x9F).contains(bytes[i + 1]) { return 2 }
        if bytes[i] == 0xE2, i + 2 < bytes.count {
            if bytes[i + 1] == 0x80, (0xAA...0xAE).contains(bytes[i + 2]) { return 3 }
            if bytes[i + 1] == 0x81, (0xA6...0xA9).contains(bytes[i + 2]) { return 3 }
        }
        return nil
    }
}
