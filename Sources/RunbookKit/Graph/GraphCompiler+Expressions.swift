/// The seam where expressions and templates are checked once the graph is known.
extension GraphCompiler {
    mutating func checkExpressions(_ graph: StepGraph) {
        // Filled in by the expression checker: every `when`, `expect`, `until`, `assert`,
        // `outputs` and template site is checked against the params and the steps that can
        // have run before it.
    }
}
