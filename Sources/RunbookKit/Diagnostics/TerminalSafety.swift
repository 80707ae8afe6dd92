/// Text from playbooks, params and step output is shown to the operator, and must not drive
/// their terminal: an escape sequence could clear lines, recolour or retitle, and so make a
/// shown command look like another.
extension String {
    /// The text with control characters made visible: ESC as `\e`, other C0 and C1 controls
    /// and DEL in caret or `\u{…}` form; newline and tab are kept.
    public var neutralizingControls: String {
        guard unicodeScalars.contains(where: Self.isNeutralized) else { return self }
        var out = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            guard Self.isNeutralized(scalar) else {
                out.append(scalar)
                continue
            }
            let visible: String
            switch scalar.value {
            case 0x1B: visible = "\\e"
            case 0x0D: visible = "\\r"
            case 0x00..<0x20: visible = "^" + String(Unicode.Scalar(UInt8(scalar.value + 0x40)))
            case 0x7F: visible = "^?"
            default: visible = "\\u{\(String(scalar.value, radix: 16))}"
            }
            out.append(contentsOf: visible.unicodeScalars)
        }
        return String(out)
    }

    private static func isNeutralized(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return (v < 0x20 && v != 0x0A && v != 0x09) || v == 0x7F || (0x80...0x9F).contains(v)
    }
}
