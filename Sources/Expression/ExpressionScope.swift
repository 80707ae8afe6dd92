/// The values an expression is evaluated against: params, environment, step results and the step's own result.
package struct ExpressionScope: Sendable {
    /// Resolved param values; an optional param that was not given is `.null`.
    package var params: [String: Value]
    /// Names of params declared `secret: true`; anything computed from them is masked in displays.
    package var secretParams: Set<String>
    package var env: [String: String]
    /// Results of steps so far; a step missing here reads as pending.
    package var steps: [String: StepResult]
    /// The result of the step whose expect, until or outputs is being evaluated.
    package var own: StepResult?
    /// Steps whose command or environment held a secret: their output and outputs are secret too.
    package var secretSteps: Set<String> = []
    /// Texts computed from secrets (a step's outputs), masked like secret params wherever they appear.
    package var derivedSecrets: [String] = []
    /// True when `own` belongs to a step in `secretSteps`.
    package var ownIsSecret = false
    /// Outputs of `own` computed from a secret.
    package var ownSecretOutputs: Set<String> = []
    /// The item of a step with `foreach` being run (or rolled back); nil elsewhere.
    package var loop: LoopItem?

    package init(
        params: [String: Value] = [:], secretParams: Set<String> = [], env: [String: String] = [:],
        steps: [String: StepResult] = [:], own: StepResult? = nil
    ) {
        self.params = params
        self.secretParams = secretParams
        self.env = env
        self.steps = steps
        self.own = own
    }

    /// One item of a `foreach`: its value, its position from 0, and whether it came from a secret.
    package struct LoopItem: Sendable, Hashable {
        package var value: Value
        package var index: Int
        package var isSecret: Bool

        package init(value: Value, index: Int, isSecret: Bool) {
            self.value = value
            self.index = index
            self.isSecret = isSecret
        }
    }

    /// The text of every non-empty secret param value, for masking displays and captured output.
    package var secretTexts: [String] {
        secretParams.compactMap { params[$0] }.map(\.text).filter { !$0.isEmpty } + derivedSecrets
    }
}
