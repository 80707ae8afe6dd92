/// Where param values come from, in increasing precedence: default, `env:` variable, params file, `-p`.
public struct ParamInputs: Sendable {
    /// `NAME=VALUE` assignments from `-p`, in command-line order (a later one wins).
    public var assignments: [String]
    public var paramsFile: String?
    public var environment: [String: String]

    public init(assignments: [String] = [], paramsFile: String? = nil, environment: [String: String] = [:]) {
        self.assignments = assignments
        self.paramsFile = paramsFile
        self.environment = environment
    }

    /// Where a value given on the command line is reported.
    static let commandLine = SourceLocation.file("command line")
}

/// The params of a run: a typed value (or null) for every declared param.
public struct ResolvedParams: Sendable, Hashable {
    public var values: [String: ParamValue?]
    /// Names of params declared `secret: true`; their values are masked wherever text is shown.
    public var secretNames: Set<String>

    public init(values: [String: ParamValue?], secretNames: Set<String>) {
        self.values = values
        self.secretNames = secretNames
    }

    /// The values of secret params as text, for masking output.
    public var secretValues: [String] {
        secretNames.compactMap { values[$0] ?? nil }.map(\.description).filter { !$0.isEmpty }
    }

    /// For the audit trail and terminal: every value as text, secrets as `***`, null as nil.
    public var masked: [String: String?] {
        Dictionary(
            uniqueKeysWithValues: values.map { name, value in
                (name, value.map { secretNames.contains(name) ? "***" : $0.description })
            })
    }
}
