import RunbookDiagnostics
import RunbookPlaybook

/// Where param values come from, in increasing precedence: default, `env:` variable, params file, `-p`.
package struct ParamInputs: Sendable {
    /// `NAME=VALUE` assignments from `-p`, in command-line order (a later one wins).
    package var assignments: [String]
    package var paramsFile: String?
    package var environment: [String: String]

    package init(assignments: [String] = [], paramsFile: String? = nil, environment: [String: String] = [:]) {
        self.assignments = assignments
        self.paramsFile = paramsFile
        self.environment = environment
    }

    /// Where a value given on the command line is reported.
    package static let commandLine = SourceLocation.file("command line")
}

/// The params of a run: a typed value (or null) for every declared param.
package struct ResolvedParams: Sendable, Hashable {
    package var values: [String: ParamValue?]
    /// Names of params declared `secret: true`; their values are masked wherever text is shown.
    package var secretNames: Set<String>

    package init(values: [String: ParamValue?], secretNames: Set<String>) {
        self.values = values
        self.secretNames = secretNames
    }

    /// The values of secret params as text, for masking output.
    package var secretValues: [String] {
        secretNames.compactMap { values[$0] ?? nil }.flatMap(\.texts).filter { !$0.isEmpty }
    }

    /// For the audit trail and terminal: every value as text, secrets as `***`, null as nil.
    package var masked: [String: String?] {
        Dictionary(
            uniqueKeysWithValues: values.map { name, value in
                (name, value.map { secretNames.contains(name) ? "***" : $0.description })
            })
    }
}
