import Foundation

/// Milliseconds as the scorecards and tables print them: `4.0s`.
enum TimeText {
    static func seconds(_ ms: Int) -> String { String(format: "%.1fs", Double(ms) / 1000) }
}
