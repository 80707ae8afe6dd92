/// A rendered template: the text to execute or use, and the text safe to show, log and audit.
package struct Rendered: Sendable, Hashable {
    /// With real values; in a shell command, with references to `variables` instead of values.
    /// Never print or log this when the template uses secrets.
    package var real: String
    /// With every secret-derived value masked as `***`: for a shell command, an equivalent
    /// command with each value quoted for where it stands.
    package var display: String
    /// The environment variables a shell command's references read (`RB_1` …), with real values.
    package var variables: [String: String]
    /// Substituted texts computed from a secret (`upper(params.pw)`), to mask in what the command prints.
    package var secretTexts: [String] = []
    /// True when any substituted value came from a secret.
    package var usesSecret: Bool { !secretTexts.isEmpty }

    package init(real: String, display: String, variables: [String: String] = [:]) {
        self.real = real
        self.display = display
        self.variables = variables
    }
}
