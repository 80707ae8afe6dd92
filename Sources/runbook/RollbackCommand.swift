import ArgumentParser
import FoundationEssentials
import RunbookBasics
import RunbookEngine
import RunbookSession

struct RollbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Undo an earlier run's completed steps, most recent first, as a new audited run.",
        discussion: """
            Runs the rollback actions of the run's completed steps that it did not already roll back, \
            with the values that run had. A step that started and never ended is offered, not assumed \
            (--yes leaves it and says so). Works from any directory: the playbook's path and SHA-256 \
            are in the run's records; a changed playbook is refused unless --force. \
            Exit status: 0 everything undone · 2 invalid input, nothing executed · 3 interrupted · \
            4 a rollback action failed, or a step needs a person.
            """)

    @Argument(help: "The run id (from 'runbook audit list' or the end of a run).") var runID: String
    @Flag(help: "Approve the rollback without asking (a step that never ended is still not assumed).") var yes = false
    @Flag(help: "List the rollback actions with their rendered commands; execute nothing.") var dryRun = false
    @Flag(help: "Use the playbook as it is now, even if it changed since the run.") var force = false
    @OptionGroup var audit: AuditOptions
    @OptionGroup var targets: TargetOptions
    @Flag(help: "Refuse instead of waiting when the playbook is already running on this host.") var noWait = false
    @Flag(help: "Print the events as JSON.") var json = false

    func run() throws {
        let console = Console()
        let prior = try InterruptedRunCommand.load(runID, audit: audit, force: force, console: console)
        var options = RunOptions(
            mode: dryRun ? .dryRun : .live, assumeYes: yes, environment: ProcessEnvironment.current)
        // Steps that ran on hosts are undone on the same hosts, found by name in the inventory.
        try targets.apply(to: &options, for: prior.graph, console: console)
        try InterruptedRunCommand.start(
            prior, options: options, rollback: true, audit: audit, noWait: noWait, json: json, console: console)
    }
}
