import RunbookBasics

/// Compiles regular expressions for `matches` and `match`, and explains why a pattern is invalid.
enum RegexCompiler {
    /// Compiles `pattern` or returns why it cannot be compiled.
    static func compile(_ pattern: String) -> Result<RegularExpression, TypeMismatch> {
        guard let compiled = RegularExpression(pattern) else {
            return .failure(TypeMismatch(message: "invalid regular expression \(JSONValue.quote(pattern))", hint: nil))
        }
        return .success(compiled)
    }

    /// A short reason when `pattern` is not a valid regular expression, else nil.
    static func problem(with pattern: String) -> String? {
        guard case .failure = compile(pattern) else { return nil }
        return JSONValue.quote(pattern)
    }
}
