import RunbookBasics

/// Decides whether a regular expression admits only plain shell words, so that a value that
/// matches it cannot carry shell syntax even where a program parses it again (`ssh`, `sh -c`).
///
/// Deliberately narrow: an anchored pattern (`^…$`) built from letters, digits, the
/// characters `_ - . / : @ % + , =`, `\d`, `\w`, classes of those (no negation), groups,
/// alternation inside groups and quantifiers. Anything else (`.`, `\s`, `[^…]`, lookarounds)
/// is treated as admitting shell syntax.
package enum ShellWordPattern {
    package static func admitsOnlyPlainWords(_ pattern: String) -> Bool {
        var scalars = Array(pattern.unicodeScalars)
        guard scalars.first == "^", scalars.count >= 2, scalars.last == "$", scalars[scalars.count - 2] != "\\" else {
            return false
        }
        scalars = Array(scalars[1..<(scalars.count - 1)])
        var i = 0
        var depth = 0
        while i < scalars.count {
            let c = scalars[i]
            i += 1
            switch c {
            case "\\":
                guard i < scalars.count, isEscapeAllowed(scalars[i]) else { return false }
                i += 1
            case "[":
                guard let end = classEnd(scalars, from: i) else { return false }
                i = end
            case "(":
                if i < scalars.count, scalars[i] == "?" {
                    guard i + 1 < scalars.count, scalars[i + 1] == ":" else { return false }  // only (?:…)
                    i += 2
                }
                depth += 1
            case ")":
                depth -= 1
                if depth < 0 { return false }
            case "|":
                if depth == 0 { return false }  // ^a|b$ is (^a)|(b$): not anchored at both ends
            case "*", "+", "?":
                break
            case "{":
                while i < scalars.count, scalars[i] != "}" {
                    guard scalars[i] == "," || ("0"..."9").contains(scalars[i]) else { return false }
                    i += 1
                }
                i += 1
            default:
                guard ShellQuoting.isPlainWordCharacter(c), c != "." else { return false }
            }
        }
        return depth == 0
    }

    private static func isEscapeAllowed(_ c: Unicode.Scalar) -> Bool {
        c == "d" || c == "w" || (ShellQuoting.isPlainWordCharacter(c) && !isLetterOrDigit(c))
    }

    /// The offset after the `]` that closes a class starting at `start`, if the class holds only plain characters.
    private static func classEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        var i = start
        guard i < scalars.count, scalars[i] != "^" else { return nil }
        while i < scalars.count {
            let c = scalars[i]
            if c == "]", i > start { return i + 1 }
            if c == "\\" {
                guard i + 1 < scalars.count, isEscapeAllowed(scalars[i + 1]) else { return nil }
                i += 2
                continue
            }
            if c == "-", i > start, i + 1 < scalars.count, scalars[i + 1] != "]" {
                // A range: both ends in the same run of digits, lower or upper case letters.
                guard let low = scalars[safe: i - 1], let high = scalars[safe: i + 1],
                    sameRun(low, high), low <= high
                else { return nil }
                i += 2
                continue
            }
            guard ShellQuoting.isPlainWordCharacter(c) else { return nil }
            i += 1
        }
        return nil
    }

    private static func sameRun(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> Bool {
        [("0", "9"), ("a", "z"), ("A", "Z")].contains { (low: Unicode.Scalar, high: Unicode.Scalar) in
            (low...high).contains(a) && (low...high).contains(b)
        }
    }

    private static func isLetterOrDigit(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
    }
}

extension Array {
    fileprivate subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
