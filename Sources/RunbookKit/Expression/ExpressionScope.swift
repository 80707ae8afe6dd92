/// The values an expression is evaluated against: params, environment, step results and the step's own result.
public struct ExpressionScope: Sendable {
    /// Resolved param values; an optional param that was not given is `.null`.
    public var params: [String: Value]
    /// Names of params declared `secret: true`; anything computed from them is masked in displays.
    public var secretParams: Set<String>
    public var env: [String: String]
    /// Results of steps so far; a step missing here reads as pending.
    public var steps: [String: StepResult]
    /// The result of the step whose expect, until or outputs is being evaluated.
    public var own: StepResult?
    /// Steps whose command or environment held a secret: their output and outputs are secret too.
    public var secretSteps: Set<String> = []
    /// Texts computed from secrets (a step's outputs), masked like secret params wherever they appear.
    public var derivedSecrets: [String] = []
    /// True when `own` belongs to a step in `secretSteps`.
    public var ownIsSecret = false

    public init(
        params: [String: Value] = [:], secretParams: Set<String> = [], env: [String: String] = [:],
        steps: [String: StepResult] = [:], own: StepResult? = nil
    ) {
        self.params = params
        self.secretParams = secretParams
        self.env = env
        self.steps = steps
        self.own = own
    }

    /// The text of every non-empty secret param value, for masking displays and captured output.
    public var secretTexts: [String] {
        secretParams.compactMap { params[$0] }.map(\.text).filter { !$0.isEmpty } + derivedSecrets
    }
}
