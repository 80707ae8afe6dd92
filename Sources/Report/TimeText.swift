import RunbookBasics

/// Milliseconds as the scorecards and tables print them: `4.0s`.
enum TimeText {
    static func seconds(_ ms: Int) -> String { DecimalText.fixed(ms, scale: 1000, digits: 1) + "s" }
}
