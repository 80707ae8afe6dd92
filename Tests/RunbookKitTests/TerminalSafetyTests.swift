import Testing

@testable import RunbookDiagnostics

/// Text shown to the operator cannot drive their terminal.
@Suite struct TerminalSafetyTests {
    @Test(arguments: [
        ("plain text, café\tand\nnewlines", "plain text, café\tand\nnewlines"),
        ("\u{1B}[31mred\u{1B}[0m", "\\e[31mred\\e[0m"), ("a\rb", "a\\rb"), ("bell\u{07}", "bell^G"),
        ("nul\u{0}", "nul^@"), ("del\u{7F}", "del^?"), ("csi\u{9B}31m", "csi\\u{9b}31m"),
        ("admin\u{202E}txt.exe", "admin\\u{202e}txt.exe"), ("iso\u{2066}x\u{2069}", "iso\\u{2066}x\\u{2069}"),
        ("nbsp\u{A0}ok", "nbsp\u{A0}ok"), ("dash\u{2014}ok", "dash\u{2014}ok"),
    ])
    func controlCharactersAreShownAndEverythingElseKept(_ text: String, _ shown: String) {
        #expect(text.neutralizingControls == shown)
        // The bytes written to the terminal without a string made of them are the same.
        #expect(text.withNeutralizedControls { Array($0) } == Array(shown.utf8))
    }
}
