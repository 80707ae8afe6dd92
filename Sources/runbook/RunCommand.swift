import ArgumentParser
import FoundationEssentials
import RunbookAudit
import RunbookBasics
import RunbookEngine
import RunbookGraph
import RunbookPlaybook
import RunbookSession

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a playbook: symptoms, diagnosis, recovery, verify.",
        discussion: """
            Exit status: 0 success (or no symptom present) · 1 a step failed and rollback completed · \
            2 invalid input, nothing executed · 3 declined or interrupted · 4 a rollback action failed.
            """)

    @Argument(help: "A playbook id or file.", completion: Completions.playbooks) var playbook: String
    @OptionGroup var params: ParamOptions
    @Flag(help: "List every step with its rendered command, guard, confirmation and rollback; execute nothing.")
    var dryRun = false
    @Flag(help: "With --dry-run: run the read-only steps for real so guards resolve.") var probe = false
    @Flag(help: "Approve every confirmation (recorded as approved by --yes).") var yes = false
    @Flag(help: "Ask before every step that changes the system.") var step = false
    @Flag(help: "Run diagnosis and recovery even when no symptom is present.") var force = false
    @Option(
        help: ArgumentHelp("Take this option of a choose step.", valueName: "STEP=OPTION"),
        completion: Completions.choices)
    var choose: [String] = []
    @OptionGroup var audit: AuditOptions
    @OptionGroup var targets: TargetOptions
    @Flag(help: "Refuse instead of waiting when the playbook is already running on this host.") var noWait = false
    @Flag(help: "Print the events of the run (the plan, in a dry-run) as JSON.") var json = false

    /// The line as plain values (`QuickRunParser` reads the common lines into one directly).
    var request: RunRequest {
        RunRequest(
            playbook: playbook, assignments: params.assignments, paramsFile: params.paramsFile, dryRun: dryRun,
            probe: probe, yes: yes, step: step, force: force, choose: choose, auditDir: audit.auditDir,
            inventory: targets.inventory, limit: targets.limit, noWait: noWait, json: json)
    }

    func validate() throws { try request.validate() }

    func run() throws { try request.run() }
}

/// What a `run` line asks for, as plain values: from the argument parser (`RunCommand`) or,
/// for the lines people type, read without it (`QuickRunParser`), so a run does not first
/// instantiate the parser's option types.
struct RunRequest: Equatable, QuickCommand {
    var playbook: String
    var assignments: [String] = []
    var paramsFile: String?
    var dryRun = false
    var probe = false
    var yes = false
    var step = false
    var force = false
    var choose: [String] = []
    var auditDir: String?
    var inventory: String?
    var limit: String?
    var noWait = false
    var json = false

    func validate() throws {
        if probe && !dryRun { throw ValidationError("--probe only makes sense with --dry-run") }
        if let bad = choose.first(where: { !$0.contains("=") }) {
            throw ValidationError("--choose takes STEP=OPTION, got '\(bad)'")
        }
    }

    func run() throws {
        let console = Console()
        let graph = try loadGraph(playbook, console: console)
        var options = RunOptions(
            mode: dryRun ? .dryRun : .live, assumeYes: yes, stepMode: step, force: force,
            choices: Dictionary(
                choose.map { $0.split(separator: "=", maxSplits: 1).map(String.init) }.map { ($0[0], $0[1]) }
            ) { _, b in b },
            environment: ProcessEnvironment.current)
        try TargetOptions.apply(inventory: inventory, limit: limit, to: &options, for: graph, console: console)
        var session = RunSession(
            graph: graph, options: options, json: json, write: console.out, note: console.err, report: console.report)
        session.statusLine = Console.statusLine()
        let status = try session.start(
            params: ParamOptions.inputs(assignments, paramsFile), probe: probe, noWait: noWait,
            auditDir: AuditOptions.directory(auditDir))
        throw ExitCode(status)
    }
}

/// `-p` and `--params-file`, shared by the commands that run playbooks.
struct ParamOptions: ParsableArguments {
    @Option(
        name: .customShort("p"), help: ArgumentHelp("Set a param (repeatable).", valueName: "NAME=VALUE"),
        completion: Completions.params)
    var assignments: [String] = []
    @Option(
        help: ArgumentHelp("Read params from a YAML mapping.", valueName: "FILE"),
        completion: .file(extensions: ["yaml", "yml"]))
    var paramsFile: String?

    var inputs: ParamInputs { Self.inputs(assignments, paramsFile) }

    static func inputs(_ assignments: [String], _ paramsFile: String?) -> ParamInputs {
        ParamInputs(assignments: assignments, paramsFile: paramsFile, environment: ProcessEnvironment.current)
    }
}

/// `--audit-dir`, shared by every command that reads or writes the audit trail.
struct AuditOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Audit directory (default: $RUNBOOK_AUDIT_DIR, else $XDG_STATE_HOME/runbook, else ~/.local/state/runbook).",
            valueName: "DIR"))
    var auditDir: String?

    var directory: String { Self.directory(auditDir) }

    static func directory(_ explicit: String?) -> String {
        AuditDirectory.resolve(explicit: explicit, environment: ProcessEnvironment.current)
    }
}

/// `--inventory` and `--limit`, for the commands that run steps on hosts (README: targets).
struct TargetOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The hosts and groups that on: names (default: the playbook's inventory:).", valueName: "FILE"),
        completion: .file(extensions: ["yaml", "yml"]))
    var inventory: String?
    @Option(
        help: ArgumentHelp("Run steps with on: only on these hosts or groups.", valueName: "HOST,..."))
    var limit: String?

    /// The inventory given, or the one the playbook names (relative to the playbook); nil when neither.
    func load(for graph: StepGraph, console: Console) throws -> Inventory? {
        try Self.load(inventory, for: graph, console: console)
    }

    /// `explicit`, else the inventory `graph`'s playbook names; its findings reported, an error thrown as exit 2.
    static func load(_ explicit: String?, for graph: StepGraph, console: Console) throws -> Inventory? {
        let path: String
        if let explicit {
            path = explicit
        } else if let named = graph.playbook.inventory?.value {
            path = named.hasPrefix("/") ? named : Path.join(Path.directory(of: graph.playbook.file), named)
        } else {
            return nil
        }
        let loaded = PlaybookDecoder.loadInventory(path: path)
        console.report(loaded.diagnostics)
        guard let inventory = loaded.inventory, !loaded.diagnostics.hasErrors else { throw ExitCode(.invalidInput) }
        return inventory
    }

    /// Gives a run of `graph` its hosts: the inventory and `--limit`.
    func apply(to options: inout RunOptions, for graph: StepGraph, console: Console) throws {
        try Self.apply(inventory: inventory, limit: limit, to: &options, for: graph, console: console)
    }

    static func apply(
        inventory: String?, limit: String?, to options: inout RunOptions, for graph: StepGraph, console: Console
    ) throws {
        options.inventory = try load(inventory, for: graph, console: console)
        options.limit = hosts(limit)
    }

    var hosts: [String]? { Self.hosts(limit) }

    static func hosts(_ limit: String?) -> [String]? {
        limit.map { $0.split(separator: ",").map { String($0).trimmingWhitespace } }
    }
}
