/// Small text operations the project needs, written on the standard library alone so that the
/// binary links only FoundationEssentials (README, "Performance": the full Foundation and its
/// ICU data cost every start a few milliseconds).
extension StringProtocol {
    /// Without leading and trailing white space and line breaks (Unicode `White_Space`: spaces,
    /// tabs, `\n`, `\r`, U+0085, U+2028, no-break spaces, …).
    package var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[first...last])
        return String(out)
    }

    /// Padded on the right with spaces to `width` characters; longer text is left as it is.
    package func padded(to width: Int) -> String {
        let count = self.count
        return count >= width ? String(self) : String(self) + String(repeating: " ", count: width - count)
    }
}

/// Decimal text without `String(format:)`.
package enum DecimalText {
    /// `value / 10^digits` with exactly `digits` decimals, rounded half away from zero at the
    /// integer level: `fixed(1250, scale: 1000, digits: 1)` is `1.3`.
    package static func fixed(_ value: Int, scale: Int, digits: Int) -> String {
        var unit = 1
        for _ in 0..<digits { unit *= 10 }
        let step = scale / unit
        let sign = value < 0 ? "-" : ""
        let magnitude = value.magnitude
        let rounded = (magnitude + UInt(step / 2)) / UInt(step)
        let whole = rounded / UInt(unit)
        guard digits > 0 else { return sign + String(whole) }
        let fraction = String(rounded % UInt(unit))
        return sign + String(whole) + "." + String(repeating: "0", count: digits - fraction.count) + fraction
    }
}

extension String {
    /// The lines of a text shown indented on a terminal, without the line break that ends its
    /// last line: a YAML block (`run: |`) keeps one, and shown as a line of its own it was an
    /// empty indented line after every multi-line command.
    package var displayLines: [Substring] {
        var text = self[...]
        if text.last?.isNewline == true { text = text.dropLast() }
        return text.split(separator: "\n", omittingEmptySubsequences: false)
    }
}
