extension Expression {
    /// The value of the expression in `scope`.
    package func evaluate(in scope: ExpressionScope) throws(EvaluationError) -> Value {
        try Evaluator(expression: self, scope: scope).evaluate(root).value
    }

    /// The value and whether a secret param contributed to it.
    package func evaluateTracked(in scope: ExpressionScope) throws(EvaluationError) -> Evaluated {
        try Evaluator(expression: self, scope: scope).evaluate(root)
    }

    /// The expression as a condition (`when`, `expect`, `until`, `assert`): it must give true or false.
    ///
    /// There is no truthiness: a string, number, list or null is an error, not silently true or
    /// false, because a guard that quietly passes is worse at 3 a.m. than one that stops the run.
    package func evaluateCondition(in scope: ExpressionScope) throws(EvaluationError) -> Bool {
        let value = try evaluate(in: scope)
        guard case .bool(let b) = value else {
            throw EvaluationError(
                .typeMismatch, "a condition must be true or false, got \(value.type.withArticle) (\(value.preview))",
                expression: source.value, location: location(atOffset: root.range.lowerBound),
                hint: "compare the value, e.g. stdout != \"\" or params.NAME != null")
        }
        return b
    }
}
