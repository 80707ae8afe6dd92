/// What the checker knows about the site of an expression: declared params, steps and their visibility.
///
/// The graph compiler builds one per site; this folder knows nothing about playbooks.
package struct ExpressionContext: Sendable {
    /// Declared params and their types (`.any` when unknown).
    package var params: [String: ValueType]
    /// Every step id of the playbook and how visible its result is at this site.
    package var steps: StepVisibilities
    /// Declared output names per step; a step missing here is not checked for output names.
    package var stepOutputs: [String: Set<String>]
    /// True inside a step's own `expect`, `until` and `outputs`, where bare `exit_code`, `stdout`, … are allowed.
    package var ownResult: Bool
    /// True inside a step's own `expect` and `until`, where `outputs.NAME` reads the same attempt's outputs.
    package var ownOutputs = false
    /// The step the expression belongs to, to suggest the bare names when it refers to itself.
    package var currentStep: String?
    /// Params whose every accepted value is a plain shell word (no warning where a program re-parses it).
    package var plainWordParams: Set<String> = []
    /// True in the texts of a step with `foreach` that run once per item, where `item` and `index` are readable.
    package var loop = false

    package init(
        params: [String: ValueType] = [:], steps: StepVisibilities = [:],
        stepOutputs: [String: Set<String>] = [:], ownResult: Bool = false, currentStep: String? = nil
    ) {
        self.params = params
        self.steps = steps
        self.stepOutputs = stepOutputs
        self.ownResult = ownResult
        self.currentStep = currentStep
    }
}
