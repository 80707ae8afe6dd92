import RunbookBasics

extension Template {
    /// The prefix of the environment variables that carry a shell command's values (`RB_1`, `RB_2`, …).
    package static let variablePrefix = "RB_"

    /// Substitutes every expression in `scope`.
    ///
    /// In a shell command a value never becomes shell syntax: the command gets a reference
    /// (`"${RB_1}"`, or `${RB_1}` inside double quotes or a heredoc) and the value travels in
    /// that environment variable. Elsewhere values are inserted as text. A null value is an
    /// error rather than an empty string: `systemctl restart ''` is never what the author
    /// meant; `default(x, "")` opts in.
    package func render(in scope: ExpressionScope) throws(EvaluationError) -> Rendered {
        try assemble(in: scope, planning: false)
    }

    /// The text a plan shows while some values are not known yet: each expression `isUnknown`
    /// accepts, or whose value cannot be rendered now, appears as `⟨EXPR⟩` naming what it
    /// waits for; every other value as `render` shows it (quoted for its context, secrets masked).
    package func planned(in scope: ExpressionScope, isUnknown: (Expression) -> Bool) -> String {
        // With `unknown` given, assembling never throws: what cannot be rendered is a placeholder.
        (try? assemble(in: scope, planning: true, isUnknown: isUnknown))?.display ?? ""
    }

    /// Text and substitutions in order. When `planning`, an expression `isUnknown` accepts, or
    /// one that fails to render, is shown as a placeholder instead of stopping the rendering.
    private func assemble(
        in scope: ExpressionScope, planning: Bool, isUnknown: (Expression) -> Bool = { _ in false }
    ) throws(EvaluationError) -> Rendered {
        let masker = SecretMasker(secrets: scope.secretTexts)
        var rendered = Rendered(real: "", display: "")
        var n = 0
        for part in parts {
            switch part {
            case .text(let text):
                rendered.real += text
                rendered.display += text
            case .expression(let expression, _):
                let slot = mode == .shell ? shellSlots[n] : nil
                n += 1
                let piece: (real: String, display: String)
                if planning {
                    let placeholder = "⟨" + expression.source.value.trimmingSpaces + "⟩"
                    piece =
                        isUnknown(expression)
                        ? (placeholder, placeholder)
                        : (try? substitution(expression, slot: slot, scope: scope, masker: masker, into: &rendered))
                            ?? (placeholder, placeholder)
                } else {
                    piece = try substitution(expression, slot: slot, scope: scope, masker: masker, into: &rendered)
                }
                rendered.real += piece.real
                rendered.display += piece.display
            }
        }
        return rendered
    }

    private func substitution(
        _ expression: Expression, slot: ShellSlot?, scope: ExpressionScope, masker: SecretMasker,
        into rendered: inout Rendered
    ) throws(EvaluationError) -> (real: String, display: String) {
        let evaluated = try expression.evaluateTracked(in: scope)
        if evaluated.isSecret { rendered.secretTexts.append(evaluated.value.text) }
        if evaluated.value == .null {
            throw EvaluationError(
                .nullValue, "the value to substitute is null",
                expression: expression.source.value,
                location: expression.location(atOffset: expression.root.range.lowerBound),
                hint: "give it a value, or write default(\(expression.source.value.trimmingSpaces), \"\")")
        }
        // A value derived from a secret but no longer containing it verbatim (lower(), a substring…) is hidden whole.
        func shown(_ word: String) -> String {
            let masked = masker.mask(word)
            return evaluated.isSecret && masked == word ? SecretMasker.mask : masked
        }
        guard let slot, !expression.isRawCall else {
            let text = evaluated.value.text
            return (text, shown(text))
        }
        if let problem = slot.problem(for: evaluated.value.type) {
            throw EvaluationError(
                .shellContext, problem.message, expression: expression.source.value,
                location: expression.location(atOffset: 0), hint: problem.remedy)
        }
        var words: [String]
        if case .list(let items) = evaluated.value { words = items.map(\.text) } else { words = [evaluated.value.text] }
        if words.contains(where: { $0.unicodeScalars.contains("\0") }) {
            throw .nulCharacter(in: expression.source.value, at: expression.location(atOffset: 0))
        }
        if slot.context.isInsideQuotes { words = [words.joined(separator: " ")] }
        var references: [String] = []
        for word in words {
            let name = Self.variablePrefix + String(rendered.variables.count + 1)
            rendered.variables[name] = word
            references.append(slot.context.isInsideQuotes ? "${\(name)}" : "\"${\(name)}\"")
        }
        let display = words.map { ShellDisplay.word(shown($0), in: slot) }
        return (references.joined(separator: " "), display.joined(separator: " "))
    }
}

extension Expression {
    /// True for `raw(EXPR)` as the whole expression, the only place raw() changes quoting.
    package var isRawCall: Bool {
        if case .call(let name, let args) = root.kind, name.text == BuiltinFunction.raw.rawValue, args.count == 1 {
            return true
        }
        return false
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        let scalars = unicodeScalars.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()
        return String(String.UnicodeScalarView(scalars))
    }
}
