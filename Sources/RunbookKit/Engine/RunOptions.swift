/// How a run treats the world; raw values are the audit's `mode` strings.
public enum RunMode: String, Sendable, Hashable, CaseIterable {
    case live
    case dryRun = "dry-run"
    case rehearsal
    case gameday
}

/// Choices the operator made on the command line that the engine honours.
public struct RunOptions: Sendable {
    public var mode: RunMode
    /// `--yes`: approve every confirmation (manual steps still need an operator).
    public var assumeYes: Bool
    /// `--step`: ask before every mutating step.
    public var stepMode: Bool
    /// `--force`: run diagnosis and recovery even when no symptom is present.
    public var force: Bool
    /// `--choose STEP=OPTION`.
    public var choices: [String: String]
    /// The environment `env.NAME` reads and children inherit.
    public var environment: [String: String]

    public init(
        mode: RunMode = .live, assumeYes: Bool = false, stepMode: Bool = false, force: Bool = false,
        choices: [String: String] = [:], environment: [String: String] = [:]
    ) {
        self.mode = mode
        self.assumeYes = assumeYes
        self.stepMode = stepMode
        self.force = force
        self.choices = choices
        self.environment = environment
    }
}
