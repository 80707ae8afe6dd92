/// A playbook as written in one YAML file, every value with its location (SPEC §1).
public struct Playbook: Sendable, Hashable {
    public var file: String
    public var location: SourceLocation
    public var formatVersion: Int
    public var id: Located<String>
    public var title: SourceText
    public var severity: Located<Severity>?
    public var summary: SourceText?
    public var owners: [String]
    public var tags: [String]
    public var escalation: [Escalation]
    public var params: [Param]
    public var phases: [Phase: [Step]]
    public var prevention: [String]
    public var gameday: GameDay?

    public init(file: String, id: Located<String>, title: SourceText) {
        self.file = file
        self.location = SourceLocation(file: file, line: 1, column: 1)
        self.formatVersion = 1
        self.id = id
        self.title = title
        self.owners = []
        self.tags = []
        self.escalation = []
        self.params = []
        self.phases = [:]
        self.prevention = []
    }

    /// The steps of a phase, in order (empty when the phase is absent).
    public func steps(_ phase: Phase) -> [Step] { phases[phase] ?? [] }

    public func param(named name: String) -> Param? { params.first { $0.name == name } }
}

/// Incident severity, P1 (critical) to P4 (low).
public enum Severity: String, Sendable, Hashable, CaseIterable {
    case P1, P2, P3, P4

    /// The name the incident runbook gives the level.
    public var name: String {
        switch self {
        case .P1: return "Critical"
        case .P2: return "High"
        case .P3: return "Medium"
        case .P4: return "Low"
        }
    }
}

/// One rung of the escalation chain: after this long, escalate to this role.
public struct Escalation: Sendable, Hashable {
    public var after: TimeSpan?
    public var to: String
    /// Free text: the condition or channel ("if business impact > $10k", "Slack @tech-lead").
    public var note: String?

    public init(after: TimeSpan?, to: String, note: String?) {
        self.after = after
        self.to = to
        self.note = note
    }
}

/// A game-day definition: steps that inject a fault and steps that revert it.
public struct GameDay: Sendable, Hashable {
    public var inject: [Step]
    public var revert: [Step]

    public init(inject: [Step], revert: [Step]) {
        self.inject = inject
        self.revert = revert
    }
}
