import ArgumentParser
import FoundationEssentials
import RunbookBasics
import RunbookEngine
import RunbookEvents
import RunbookSession

struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue an interrupted run: its ended steps count as done, the rest runs.",
        discussion: """
            The playbook is walked from the start with the same engine: each step the run ended is \
            taken from its records (result, outputs, and its rollback should the resumed run roll \
            back), the options it took are taken again, and the rest runs as a new audited run \
            naming it. A step that started and never ended needs a person: at a terminal you are \
            asked to run it again, mark it done, or roll the run back; --indeterminate decides \
            without asking; --yes alone refuses. A changed playbook is refused unless --force. \
            Exit status: as 'runbook run'; 2 also for a run that ended or cannot be resumed.
            """)

    @Argument(help: "The run id (from 'runbook audit list', where it shows as interrupted).") var runID: String
    @Flag(help: "Approve every confirmation of the remaining steps (recorded as approved by --yes).") var yes = false
    @Option(
        help: ArgumentHelp(
            "What to do with a step that started and never ended: rerun, done or rollback.", valueName: "DECISION"))
    var indeterminate: String?
    @Flag(help: "Use the playbook as it is now, even if it changed since the run.") var force = false
    @OptionGroup var audit: AuditOptions
    @OptionGroup var targets: TargetOptions
    @Flag(help: "Refuse instead of waiting when the playbook is already running on this host.") var noWait = false
    @Flag(help: "Print the events as JSON.") var json = false

    func validate() throws {
        if let indeterminate, IndeterminateDecision(rawValue: indeterminate) == nil {
            throw ValidationError("--indeterminate takes rerun, done or rollback, got '\(indeterminate)'")
        }
    }

    func run() throws {
        let console = Console()
        let prior = try InterruptedRunCommand.load(runID, audit: audit, force: force, console: console)
        let decision = indeterminate.flatMap(IndeterminateDecision.init(rawValue:))
        if let refusal = prior.resumeRefusal(decided: decision != nil, assumeYes: yes) {
            console.report([refusal])
            throw ExitCode(.invalidInput)
        }
        var options = RunOptions(mode: .live, assumeYes: yes, environment: ProcessEnvironment.current)
        options.resume = prior.history
        try targets.apply(to: &options, for: prior.graph, console: console)
        options.indeterminate = decision
        try InterruptedRunCommand.start(
            prior, options: options, rollback: false, audit: audit, noWait: noWait, json: json, console: console)
    }
}
