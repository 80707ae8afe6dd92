import RunbookDiagnostics

/// Text with `{{ EXPR }}` substitutions, parsed once and rendered against a scope in a quoting mode.
package struct Template: Sendable, Hashable {
    /// A literal run of text or one substitution.
    package enum Part: Sendable, Hashable {
        case text(String)
        /// An expression and the offset of its `{{` in the template's text.
        case expression(Expression, at: Int)
    }

    package let source: SourceText
    package let mode: QuotingMode
    package let parts: [Part]
    /// For a shell command, where each substitution stands (one per expression, in order).
    package let shellSlots: [ShellSlot]
    /// How many substitutions there are (counted once from `parts`: checking and the engine
    /// ask it of every template).
    let substitutionCount: Int

    /// Parses `source`; the first problem (unclosed `{{`, empty or invalid expression) is thrown at its exact position.
    /// `parsed`: expressions parsed before, to take a repeated one from.
    package init(parsing source: SourceText, mode: QuotingMode, parsed: ParsedExpressions? = nil) throws(Diagnostic) {
        // Made in locals and stored at the end: assigning the properties one by one had the
        // partly made value copied on the way.
        let parts = try TemplateParser(source, parsed: parsed).parse()
        var substitutionCount = 0
        for k in parts.indices {
            if case .expression = parts[k] { substitutionCount += 1 }
        }
        var shellSlots: [ShellSlot] = []
        if mode == .shell, substitutionCount > 0 {
            if let parsed {
                shellSlots = ShellScanner.slots(of: parts, reusing: &parsed.shellScratch)
            } else {
                shellSlots = ShellScanner.slots(of: parts)
            }
        }
        self.source = source
        self.mode = mode
        self.parts = parts
        self.substitutionCount = substitutionCount
        self.shellSlots = shellSlots
    }

    /// True when this is a shell command that the plain-command path places
    /// (`ShellScanner.plainSlots`) and a full scan places differently (for fuzzing: never).
    package var plainPathDisagreesWithScan: Bool {
        guard mode == .shell, substitutionCount > 0, let plain = ShellScanner.plainSlots(of: parts) else {
            return false
        }
        return plain != ShellScanner.scannedSlots(of: parts)
    }

    /// The substitutions with the offsets of their `{{`, in order.
    var substitutions: [(expression: Expression, offset: Int)] {
        parts.compactMap { part in
            if case .expression(let e, let offset) = part { return (e, offset) }
            return nil
        }
    }

    /// The substitutions' expressions, in order, made on demand (checking walks `parts` in place).
    package var expressions: [Expression] {
        parts.compactMap { if case .expression(let e, _) = $0 { e } else { nil } }
    }

    /// True when there is nothing to substitute.
    package var isLiteral: Bool { substitutionCount == 0 }
}
