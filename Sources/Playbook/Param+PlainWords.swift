import RunbookBasics
import RunbookExpression

extension Param {
    /// True when every value this param accepts is a plain shell word: a number, a boolean, a
    /// duration, one of `choices` that are all plain words, or a string (or each item of a list) held to a narrow
    /// anchored `pattern` (see `ShellWordPattern`). Such a value may reach `ssh` or `sh -c`
    /// without a warning.
    package var admitsOnlyPlainWords: Bool {
        switch kind {
        case .int, .number, .bool, .duration: return true
        case .string, .list:  // a list is held to the same rules item by item
            if let choices, !choices.isEmpty {
                return choices.allSatisfy { ShellQuoting.isPlainWord($0.description) }
            }
            return pattern.map { ShellWordPattern.admitsOnlyPlainWords($0.value) } ?? false
        }
    }
}
