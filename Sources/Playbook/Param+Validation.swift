import RunbookBasics

/// Checks of a value against a param's declared constraints, shared by the decoder and the CLI.
extension Param {
    /// Why `value` is not acceptable for this param, or nil when it is.
    package func problem(with value: ParamValue) -> String? {
        if case .list(let items) = value { return problem(withItems: items) }
        // A secret's value never appears in a message, not even a wrong one (it may be the real secret mistyped).
        let shown = secret ? "***" : value.description
        if let choices, !choices.isEmpty, !choices.contains(value) {
            return "must be one of \(choices.map(\.description).joined(separator: ", ")) (got '\(shown)')"
        }
        if let pattern, case .string(let s) = value, !RegexCheck.matches(pattern.value, s) {
            return "must match the pattern \(pattern.value) (got '\(shown)')"
        }
        let magnitude: Double?
        switch value {
        case .int(let i): magnitude = Double(i)
        case .number(let d): magnitude = d
        case .duration(let d): magnitude = d.seconds
        default: magnitude = nil
        }
        if let magnitude {
            if let min, magnitude < min { return "must be at least \(ParamValue.number(min)) (got \(shown))" }
            if let max, magnitude > max { return "must be at most \(ParamValue.number(max)) (got \(shown))" }
        }
        return nil
    }

    /// A list's count against `min_items`/`max_items`, then each item against `choices` and `pattern`.
    private func problem(withItems items: [String]) -> String? {
        func count(_ n: Int) -> String { n == 1 ? "1 item" : "\(n) items" }
        if let minItems, items.count < minItems {
            return "needs at least \(count(minItems)) (got \(count(items.count)))"
        }
        if let maxItems, items.count > maxItems {
            return "takes at most \(count(maxItems)) (got \(count(items.count)))"
        }
        for (index, item) in items.enumerated() {
            if let problem = problem(with: .string(item)) { return "item \(index + 1) \(problem)" }
        }
        return nil
    }
}

/// Regular-expression checks for params (`RegularExpression`: searched as grep searches).
enum RegexCheck {
    static func problem(in pattern: String) -> String? {
        RegularExpression(pattern) == nil ? "'\(pattern)' is not a valid regular expression" : nil
    }

    /// True when the pattern matches somewhere in the text; anchors in the pattern decide wholeness, as in grep.
    static func matches(_ pattern: String, _ text: String) -> Bool {
        RegularExpression(pattern)?.matches(text) ?? false
    }
}
