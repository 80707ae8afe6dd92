import RunbookBasics
import RunbookDiagnostics

/// A scripted tabletop rehearsal of one playbook (`*.scenario.yaml`, SPEC §5): what each step
/// returns, what the operator answers and picks, and what the run must do.
package struct Scenario: Sendable {
    package var file: String
    package var location: SourceLocation
    package var playbook: Located<String>
    /// `NAME → value` as written, in file order.
    package var params: [(name: Located<String>, value: String)] = []
    /// Scripted outcomes by step id (a rollback action as `ID.rollback` or `ID.rollback.N`).
    package var steps: [(id: Located<String>, outcome: Outcome)] = []
    package var expect: Expectation

    package init(file: String, location: SourceLocation, playbook: Located<String>, expect: Expectation) {
        self.file = file
        self.location = location
        self.playbook = playbook
        self.expect = expect
    }

    /// The scripted outcome of a step id, if the scenario has one.
    package func outcome(of id: String) -> Outcome? {
        steps.first { $0.id.value == id }?.outcome
    }

    /// The scripted result of one step.
    package struct Outcome: Sendable {
        package var exitCode: Int32 = 0
        package var stdout = ""
        package var stderr = ""
        package var duration = TimeSpan(milliseconds: 0)
        /// For a `choose` step: the option picked.
        package var option: Located<String>?
        /// For a confirmation or manual step.
        package var answer: Located<Answer>?
        /// In a scenario recorded from a run: the digest of the step's definition then.
        package var definition: Located<String>?

        package init() {}
    }

    /// What the operator answers: approve / decline, or the text typed for a phrase.
    package enum Answer: Sendable, Hashable {
        case yes
        case no
        case typed(String)
    }

    /// What the rehearsal must produce.
    package struct Expectation: Sendable {
        package var path: [Located<String>] = []
        package var outcome: Located<String>
        package var skipped: [Located<String>]?

        package init(outcome: Located<String>) {
            self.outcome = outcome
        }
    }

    /// The outcomes `expect.outcome` may name (SPEC §5).
    package static let outcomes = ["recovered", "failed", "rolled_back", "rollback_failed", "declined", "no_symptoms"]
}
