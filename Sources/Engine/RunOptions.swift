import RunbookBasics
import RunbookEvents
import RunbookPlaybook

/// Choices the operator made on the command line that the engine honours.
package struct RunOptions: Sendable {
    package var mode: RunMode
    /// `--yes`: approve every confirmation (manual steps still need an operator).
    package var assumeYes: Bool
    /// `--step`: ask before every mutating step.
    package var stepMode: Bool
    /// `--force`: run diagnosis and recovery even when no symptom is present.
    package var force: Bool
    /// `--choose STEP=OPTION`.
    package var choices: [String: String]
    /// The environment `env.NAME` reads and children inherit.
    package var environment: [String: String]
    /// `runbook resume`: the earlier run whose ended steps are taken as done, not run again.
    package var resume: RunHistory?
    /// `--indeterminate`: what to do with a step of that run that started and never ended
    /// (nil: ask the operator).
    package var indeterminate: IndeterminateDecision?
    /// `runbook triage --timeout`: no attempt runs longer than this, whatever its step says.
    package var timeoutCap: TimeSpan?
    /// `--inventory` (or the playbook's `inventory:`): the hosts `on:` names.
    package var inventory: Inventory?
    /// `--limit HOST,...`: steps with `on:` run only on these hosts (names of hosts or groups).
    package var limit: [String]?

    package init(
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
