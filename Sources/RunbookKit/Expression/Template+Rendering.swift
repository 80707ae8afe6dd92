extension Template {
    /// Substitutes every expression in `scope`, quoting values for the template's mode.
    ///
    /// A null value is an error rather than an empty string: `systemctl restart ''` or an
    /// empty argv element is never what the author meant; `default(x, "")` opts in.
    public func render(in scope: ExpressionScope) throws(EvaluationError) -> Rendered {
        let masker = SecretMasker(secrets: scope.secretTexts)
        var real = ""
        var display = ""
        for part in parts {
            switch part {
            case .text(let text):
                real += text
                display += text
            case .expression(let expression):
                let piece = try substitution(expression, scope: scope, masker: masker)
                real += piece.real
                display += piece.display
            }
        }
        return Rendered(real: real, display: display)
    }

    private func substitution(_ expression: Expression, scope: ExpressionScope, masker: SecretMasker)
        throws(EvaluationError) -> Rendered
    {
        let evaluated = try expression.evaluateTracked(in: scope)
        if evaluated.value == .null {
            throw EvaluationError(
                .nullValue, "the value to substitute is null",
                expression: expression.source.value,
                location: expression.location(atOffset: expression.root.range.lowerBound),
                hint: "give it a value, or write default(\(expression.source.value.trimmingSpaces), \"\")")
        }
        let verbatim = mode == .plain || expression.isRawCall
        // Each word is masked before quoting, so the display shows the same shape the shell gets.
        let words: [String]
        if !verbatim, case .list(let items) = evaluated.value {
            words = items.map(\.text)
        } else {
            words = [evaluated.value.text]
        }
        func quote(_ word: String) -> String { verbatim ? word : ShellQuoting.quote(word) }
        let real = words.map(quote).joined(separator: " ")
        let display = words.map { word in
            let masked = masker.mask(word)
            // A value derived from a secret but no longer containing it verbatim (lower(), a substring…) is hidden whole.
            return quote(evaluated.isSecret && masked == word ? SecretMasker.mask : masked)
        }.joined(separator: " ")
        return Rendered(real: real, display: display)
    }
}

extension Expression {
    /// True for `raw(EXPR)` as the whole expression, the only place raw() changes quoting.
    var isRawCall: Bool {
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
