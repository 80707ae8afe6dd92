/// A span of time written as `500ms`, `30s`, `5m`, `2h` or combinations like `1m30s`.
package struct TimeSpan: Sendable, Hashable, Comparable, CustomStringConvertible {
    package var milliseconds: Int64

    package init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    package static func seconds(_ s: Int64) -> TimeSpan { TimeSpan(milliseconds: s * 1000) }
    package static func minutes(_ m: Int64) -> TimeSpan { TimeSpan(milliseconds: m * 60_000) }

    package var seconds: Double { Double(milliseconds) / 1000 }

    /// Parses the duration syntax; nil when the text is not one.
    package init?(parsing text: String) {
        var total: Int64 = 0
        var digits = ""
        var chars = Array(text.unicodeScalars)[...]
        guard !chars.isEmpty else { return nil }
        while let c = chars.first {
            if c.properties.numericType == .decimal, c.isASCII {
                digits.unicodeScalars.append(c)
                chars = chars.dropFirst()
                continue
            }
            guard let amount = Int64(digits) else { return nil }
            let unit: Int64
            if chars.starts(with: ["m", "s"]) {
                unit = 1
                chars = chars.dropFirst(2)
            } else {
                switch c {
                case "s": unit = 1000
                case "m": unit = 60_000
                case "h": unit = 3_600_000
                default: return nil
                }
                chars = chars.dropFirst()
            }
            let (product, overflow) = amount.multipliedReportingOverflow(by: unit)
            guard !overflow, total <= Int64.max - product else { return nil }
            total += product
            digits = ""
        }
        guard digits.isEmpty else { return nil }
        milliseconds = total
    }

    /// The shortest canonical spelling, e.g. `1m30s`, `500ms`, `0s`.
    package var description: String {
        guard milliseconds > 0 else { return "0s" }
        var rest = milliseconds
        var out = ""
        for (unit, name) in [(Int64(3_600_000), "h"), (60_000, "m"), (1000, "s"), (1, "ms")] where rest >= unit {
            out += "\(rest / unit)\(name)"
            rest %= unit
        }
        return out
    }

    package static func < (lhs: TimeSpan, rhs: TimeSpan) -> Bool { lhs.milliseconds < rhs.milliseconds }
}
