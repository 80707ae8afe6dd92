import RunbookBasics

/// Writes a value for people the way the shell would read it where its template stands, so a
/// plan or prompt shows a command that is equivalent to the one that runs.
enum ShellDisplay {
    static func word(_ value: String, in slot: ShellSlot) -> String {
        var text: String
        switch slot.context {
        case .doubleQuoted: text = escaping(value, "\\$`\"")
        case .heredoc: text = closingLinesEscaped(escaping(value, "\\$`"), slot)
        // Quotes mean nothing in a comment: each line of the value stays inside one.
        case .comment: text = ShellQuoting.quoteIfNeeded(value).replacingScalars(of: "\n", with: "\n# ")
        default: text = ShellQuoting.quoteIfNeeded(value)
        }
        // Inside backticks the shell removes one level of backslashes before it parses the command.
        if slot.inBackticks { text = escaping(text, "\\$`") }
        return text
    }

    /// A value line that reads as the heredoc's delimiter would end the body of the displayed
    /// command (not of the real one, which expands the value after the body is read): a
    /// backslash in front keeps a pasted display from running the lines after it.
    private static func closingLinesEscaped(_ text: String, _ slot: ShellSlot) -> String {
        guard let delimiter = slot.heredocDelimiter else { return text }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let compared = slot.heredocStripsTabs ? String(line.drop { $0 == "\t" }) : String(line)
            return compared == delimiter ? "\\" + line : String(line)
        }
        return lines.joined(separator: "\n")
    }

    private static func escaping(_ text: String, _ special: String) -> String {
        var out = String.UnicodeScalarView()
        for c in text.unicodeScalars {
            if special.unicodeScalars.contains(c) { out.append("\\") }
            out.append(c)
        }
        return String(out)
    }
}
