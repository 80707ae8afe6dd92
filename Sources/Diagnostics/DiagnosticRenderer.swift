/// Renders diagnostics in the compiler format, with the source line, a caret and a help line.
///
/// The library never prints; the executable hands the rendered text to the terminal.
package struct DiagnosticRenderer: Sendable {
    package var showSource: Bool
    package var color: Bool
    /// Looks up the text of a line (1-based) of a file, for the source excerpt.
    package var sourceLine: @Sendable (_ file: String, _ line: Int) -> String?

    package init(
        showSource: Bool = true, color: Bool = false,
        sourceLine: @escaping @Sendable (_ file: String, _ line: Int) -> String? = { _, _ in nil }
    ) {
        self.showSource = showSource
        self.color = color
        self.sourceLine = sourceLine
    }

    package func render(_ diagnostic: Diagnostic) -> String {
        let label = diagnostic.severity.rawValue
        let paint = color ? (diagnostic.isError ? "\u{1B}[1;31m" : "\u{1B}[1;35m") : ""
        let reset = color ? "\u{1B}[0m" : ""
        let location = "\(diagnostic.location)".neutralizingControls
        var out = "\(location): \(paint)\(label):\(reset) \(diagnostic.message.neutralizingControls)\n"
        let loc = diagnostic.location
        if showSource, diagnostic.quotesSource, loc.line > 0, loc.column > 0, let text = sourceLine(loc.file, loc.line)
        {
            let excerpt = text.replacingTabs().neutralizingControls
            out += "    \(excerpt)\n"
            let pad = String(repeating: " ", count: max(0, loc.column - 1))
            out += "    \(pad)\(paint)^\(reset)\n"
        }
        if let hint = diagnostic.hint {
            out += "  help: \(hint.neutralizingControls)\n"
        }
        return out
    }

    package func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(render).joined()
    }
}

extension String {
    fileprivate func replacingTabs() -> String {
        // Tabs would misalign the caret; YAML forbids them in indentation anyway.
        String(unicodeScalars.map { $0 == "\t" ? " " : Character($0) })
    }
}
