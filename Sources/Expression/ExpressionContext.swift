/// What the checker knows about the site of an expression: declared params, steps and their visibility.
///
/// The graph compiler builds one per site; this folder knows nothing about playbooks.
package struct ExpressionContext: Sendable {
    /// The tables every site of a playbook reads, in one box: a context is copied several
    /// times per site, and copying the tables themselves changed the reference counts of
    /// storage shared by every processor checking at once. Each processor's part of a check
    /// starts from a context of its own (`rehomed()`), so its copies count only its own box.
    private final class Tables: Sendable {
        let params: [String: ValueType]
        let stepOutputs: [String: Set<String>]
        let plainWordParams: Set<String>

        init(params: [String: ValueType], stepOutputs: [String: Set<String>], plainWordParams: Set<String>) {
            self.params = params
            self.stepOutputs = stepOutputs
            self.plainWordParams = plainWordParams
        }
    }

    private var tables: Tables

    /// Declared params and their types (`.any` when unknown).
    package var params: [String: ValueType] {
        get { tables.params }
        set { tables = Tables(params: newValue, stepOutputs: stepOutputs, plainWordParams: plainWordParams) }
    }
    /// Every step id of the playbook and how visible its result is at this site.
    package var steps: StepVisibilities
    /// Declared output names per step; a step missing here is not checked for output names.
    package var stepOutputs: [String: Set<String>] {
        get { tables.stepOutputs }
        set { tables = Tables(params: params, stepOutputs: newValue, plainWordParams: plainWordParams) }
    }
    /// True inside a step's own `expect`, `until` and `outputs`, where bare `exit_code`, `stdout`, … are allowed.
    package var ownResult: Bool
    /// True inside a step's own `expect` and `until`, where `outputs.NAME` reads the same attempt's outputs.
    package var ownOutputs = false
    /// The step the expression belongs to, to suggest the bare names when it refers to itself.
    package var currentStep: String?
    /// Params whose every accepted value is a plain shell word (no warning where a program re-parses it).
    package var plainWordParams: Set<String> {
        get { tables.plainWordParams }
        set { tables = Tables(params: params, stepOutputs: stepOutputs, plainWordParams: newValue) }
    }
    /// True in the texts of a step with `foreach` that run once per item, where `item` and `index` are readable.
    package var loop = false

    package init(
        params: [String: ValueType] = [:], steps: StepVisibilities = [:],
        stepOutputs: [String: Set<String>] = [:], ownResult: Bool = false, currentStep: String? = nil
    ) {
        tables = Tables(params: params, stepOutputs: stepOutputs, plainWordParams: [])
        self.steps = steps
        self.ownResult = ownResult
        self.currentStep = currentStep
    }

    /// The same context in boxes of its own, for a processor to copy without touching the
    /// counts of another's (the tables inside are shared, and counted once).
    package func rehomed() -> ExpressionContext {
        var copy = self
        copy.tables = Tables(params: params, stepOutputs: stepOutputs, plainWordParams: plainWordParams)
        copy.steps = steps.rehomed()
        return copy
    }
}
