/// A regular expression as playbooks write them — `matches(s, re)`, `match(s, re)` and a param's
/// `pattern` — in the syntax of the standard library's `Regex` (the ICU/PCRE syntax: classes,
/// `\d \w \s \b`, groups, lookahead, `(?i)`, `(?m)`, …; no lookbehind).
///
/// It is searched, not anchored, as grep searches (write `^…$` for the whole text), and matched
/// on Unicode scalars (`.` is one scalar, as in ICU and grep). As in ICU and grep, `$` also matches
/// before one final newline: command output ends with one, so `matches(stdout, "ok$")` holds
/// for `ok\n` (docs/playbook-reference.md, "Functions").
package struct RegularExpression {
    private let regex: Regex<AnyRegexOutput>

    /// Nil when `pattern` is not a valid regular expression.
    package init?(_ pattern: String) {
        guard let compiled = try? Regex(pattern) else { return nil }
        regex = compiled.matchingSemantics(.unicodeScalar).wordBoundaryKind(.simple)
    }

    /// True when the expression matches somewhere in `text`.
    package func matches(_ text: String) -> Bool {
        firstMatch(in: text) != nil
    }

    /// The first capture group of the first match, or the whole match when the expression has no
    /// group or its first group took no part; nil when nothing matches.
    package func firstCapture(in text: String) -> Substring? {
        guard let match = firstMatch(in: text) else { return nil }
        if match.output.count > 1, let group = match.output[1].substring { return group }
        return match.output[0].substring
    }

    private func firstMatch(in text: String) -> Regex<AnyRegexOutput>.Match? {
        if let found = try? regex.firstMatch(in: text) { return found }
        // `$` before a final newline: the text without it may match where the whole did not.
        guard text.utf8.last == UInt8(ascii: "\n") else { return nil }
        return try? regex.firstMatch(in: text.dropLast())
    }
}
