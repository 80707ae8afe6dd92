import RunbookBasics
import RunbookDiagnostics

/// A playbook as written in one YAML file, every value with its location (SPEC §1).
package struct Playbook: Sendable, Hashable {
    package var file: String
    package var location: SourceLocation
    package var formatVersion: Int
    package var id: Located<String>
    package var title: SourceText
    package var severity: Located<Severity>?
    package var summary: SourceText?
    package var owners: [String]
    package var tags: [String]
    package var escalation: [Escalation]
    package var params: [Param]
    /// Each phase's steps, in `Phase.allCases` order (a dictionary keyed by phase cost the
    /// runtime a conformance search at start-up).
    package var phases: [[Step]]
    package var prevention: [String]
    package var gameday: GameDay?
    /// Prometheus alerts this playbook answers (`runbook triage --alert`).
    package var alerts: [AlertBinding] = []
    /// `inventory:` the inventory file its `on:` steps use, relative to the playbook.
    package var inventory: Located<String>?

    package init(file: String, id: Located<String>, title: SourceText) {
        self.file = file
        self.location = SourceLocation(file: file, line: 1, column: 1)
        self.formatVersion = 1
        self.id = id
        self.title = title
        self.owners = []
        self.tags = []
        self.escalation = []
        self.params = []
        self.phases = Phase.allCases.map { _ in [] }
        self.prevention = []
    }

    /// The steps of a phase, in order (empty when the phase is absent).
    package func steps(_ phase: Phase) -> [Step] { phases[phase.index] }

    package func param(named name: String) -> Param? { params.first { $0.name == name } }
}

/// One rung of the escalation chain: after this long, escalate to this role.
package struct Escalation: Sendable, Hashable {
    package var after: TimeSpan?
    package var to: String
    /// Free text: the condition or channel ("if business impact > $10k", "Slack @tech-lead").
    package var note: String?

    package init(after: TimeSpan?, to: String, note: String?) {
        self.after = after
        self.to = to
        self.note = note
    }
}

/// A game-day definition: steps that inject a fault and steps that revert it.
package struct GameDay: Sendable, Hashable {
    package var inject: [Step]
    package var revert: [Step]
    /// Read-only probes checked every `interval` from the injection to the revert; one that
    /// fails stops the game day and reverts at once.
    package var stopIf: [Step] = []
    package var interval: TimeSpan?

    package init(inject: [Step], revert: [Step]) {
        self.inject = inject
        self.revert = revert
    }
}
