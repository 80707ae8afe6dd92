/// Text from playbooks, params and step output is shown to the operator, and must not drive
/// their terminal: an escape sequence could clear lines, recolour or retitle, and so make a
/// shown command look like another.
extension String {
    /// The text with control characters made visible: ESC as `\e`, CR as `\r`, other C0
    /// controls and DEL in caret form (`^G`, `^?`), C1 controls as `\u{9b}`; newline and tab
    /// are kept. Works on UTF-8 bytes, since step output passes through here at full speed.
    public var neutralizingControls: String {
        var copy = self
        return copy.withUTF8 { bytes in
            guard let first = bytes.firstIndex(where: Self.startsControl) else { return self }
            var out = [UInt8]()
            out.reserveCapacity(bytes.count + 16)
            out.append(contentsOf: bytes[..<first])
            var i = first
            while i < bytes.count {
                let b = bytes[i]
                if b == 0xC2, i + 1 < bytes.count, (0x80...0x9F).contains(bytes[i + 1]) {
                    out.append(contentsOf: Array("\\u{\(String(bytes[i + 1], radix: 16))}".utf8))
                    i += 2
                    continue
                }
                switch b {
                case 0x1B: out.append(contentsOf: [0x5C, 0x65])  // \e
                case 0x0D: out.append(contentsOf: [0x5C, 0x72])  // \r
                case 0x09, 0x0A: out.append(b)
                case 0x00..<0x20: out.append(contentsOf: [0x5E, b + 0x40])  // ^@ … ^_
                case 0x7F: out.append(contentsOf: [0x5E, 0x3F])  // ^?
                default: out.append(b)
                }
                i += 1
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// A byte that begins a control character: C0 (but newline and tab), DEL, or the lead byte of a C1 control.
    private static func startsControl(_ b: UInt8) -> Bool {
        (b < 0x20 && b != 0x0A && b != 0x09) || b == 0x7F || b == 0xC2
    }
}
