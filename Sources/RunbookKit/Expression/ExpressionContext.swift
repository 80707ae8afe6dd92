/// What the checker knows about the site of an expression: declared params, steps and their visibility.
///
/// The graph compiler builds one per site; this folder knows nothing about playbooks.
public struct ExpressionContext: Sendable, Hashable {
    /// Declared params and their types (`.any` when unknown).
    public var params: [String: ValueType]
    /// Every step id of the playbook and how visible its result is at this site.
    public var steps: [String: StepVisibility]
    /// Declared output names per step; a step missing here is not checked for output names.
    public var stepOutputs: [String: Set<String>]
    /// True inside a step's own `expect`, `until` and `outputs`, where bare `exit_code`, `stdout`, … are allowed.
    public var ownResult: Bool
    /// The step the expression belongs to, to suggest the bare names when it refers to itself.
    public var currentStep: String?
    /// Params whose every accepted value is a plain shell word (no warning where a program re-parses it).
    public var plainWordParams: Set<String> = []

    public init(
        params: [String: ValueType] = [:], steps: [String: StepVisibility] = [:],
        stepOutputs: [String: Set<String>] = [:], ownResult: Bool = false, currentStep: String? = nil
    ) {
        self.params = params
        self.steps = steps
        self.stepOutputs = stepOutputs
        self.ownResult = ownResult
        self.currentStep = currentStep
    }
}
