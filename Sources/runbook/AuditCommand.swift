import ArgumentParser
import FoundationEssentials
import RunbookAudit
import RunbookBasics
import RunbookReport
import RunbookSession

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Verify and read the audit trail.",
        subcommands: [
            AuditVerifyCommand.self, AuditListCommand.self, AuditShowCommand.self, AuditScenarioCommand.self,
        ])
}

struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Recompute the hash chain and report the first broken record.",
        discussion: "Exit status: 0 the chain holds · 1 a record was modified, deleted, inserted or reordered, "
            + "the tail is torn, or the expected head is missing. With RUNBOOK_AUDIT_KEY set, every hmac is checked too."
    )

    @OptionGroup var audit: AuditOptions
    @Option(
        help: ArgumentHelp(
            "Check that the log still holds this head (printed at the end of every run).",
            valueName: "SEQ:HASH")) var expectHead: String?
    @Flag(help: "Cut a torn last line left by a crash, recording the repair in the chain.") var repair = false
    @Flag(help: "Print the result as JSON (records, head, hmac_verified); problems are JSON lines on stderr.")
    var json = false

    func validate() throws {
        if let head = expectHead, Self.parseHead(head) == nil { throw ValidationError("--expect-head takes SEQ:HASH") }
    }

    static func parseHead(_ text: String) -> (seq: Int, hash: String)? {
        let parts = text.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let seq = Int(parts[0]), parts[1].count == 64 else { return nil }
        return (seq, String(parts[1]))
    }

    func run() throws {
        let console = Console()
        let key = AuditChain.key(in: ProcessEnvironment.current)
        let path = AuditReader(directory: audit.directory).path
        guard FileManager.default.fileExists(atPath: path) else {
            console.report([
                .error(
                    "there is no audit log here", at: .file(path),
                    hint: "pass --audit-dir or set RUNBOOK_AUDIT_DIR to the folder runs were audited in")
            ])
            throw ExitCode(.failed)
        }
        if repair, let dropped = try AuditFile(directory: audit.directory).repair(key: key) {
            console.err("repaired: dropped a torn last line of \(dropped) bytes (recorded as audit.repair)\n")
        }
        let report = try AuditVerifier(key: key).verify(path: path, expectHead: expectHead.flatMap(Self.parseHead))
        if let problem = report.problem {
            console.report([.error(problem.message, at: .line(problem.line, of: path))])
            throw ExitCode(.failed)
        }
        if let torn = report.tornBytes {
            console.report([
                .error(
                    "the last line is torn (\(torn) bytes, no newline): a run crashed while writing it",
                    at: .line(report.records + 1, of: path),
                    hint: "run 'runbook audit verify --repair' to cut it; the repair is recorded")
            ])
            throw ExitCode(.failed)
        }
        if let keyed = report.keyedUntil {
            console.report([
                .warning(
                    "records carry an hmac up to line \(keyed.last) and this one has none: "
                        + "the log may have been rewritten from here by someone without the audit key",
                    at: .line(keyed.firstWithout, of: path),
                    hint: "verify with RUNBOOK_AUDIT_KEY set to check every hmac")
            ])
        }
        if json {
            console.out(
                JSONOutput.encode(
                    VerifiedTrail(
                        ok: true, records: report.records, head: report.head.map { "\($0.seq):\($0.hash)" },
                        hmacVerified: key != nil), snakeCase: true))
            return
        }
        let head = report.head.map { "head \($0.seq):\($0.hash)" } ?? "empty"
        console.out("ok: \(report.records) records, chain intact, \(head)\(key != nil ? ", hmac verified" : "")\n")
    }
}

/// `audit verify --json`: the head as `SEQ:HASH`, the form `--expect-head` takes.
private struct VerifiedTrail: Encodable {
    var ok: Bool
    var records: Int
    var head: String?
    var hmacVerified: Bool
}

struct AuditListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the runs in the audit trail.")

    @OptionGroup var audit: AuditOptions
    @Flag(help: "Print the runs as JSON.") var json = false

    func run() throws {
        let runs = AuditReader(directory: audit.directory).runs().map(Self.alive)
        let console = Console()
        if json { return console.out(JSONOutput.encode(runs)) }
        console.out(AuditReader.RunSummary.table(runs))
    }

    /// A run without an end record is still `running` when its process is alive on this host and
    /// holds its playbook's lock; otherwise it was interrupted (`resume` or `rollback` it).
    static func alive(_ run: AuditReader.RunSummary) -> AuditReader.RunSummary {
        var run = run
        if !run.ended, InterruptedRun.isRunning(pid: run.pid, host: run.host, playbook: run.playbook) {
            run.outcome = "running"
        }
        return run
    }
}

struct AuditShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show the records of one run.")

    @Argument(help: "The run id (from 'runbook audit list' or the end of a run).") var runID: String
    @OptionGroup var audit: AuditOptions
    @Flag(help: "Print the raw records as JSON lines.") var json = false

    func run() throws {
        let records = AuditReader(directory: audit.directory).records(run: runID)
        let console = Console()
        guard !records.isEmpty else {
            console.report([.noRun(runID, in: audit.directory)])
            throw ExitCode(.invalidInput)
        }
        for record in records {
            if json {
                console.out(JSONValue.object(record).canonical + "\n")
                continue
            }
            let skip: Set = ["seq", "time", "run", "event", "prev", "hash", "hmac"]
            let rest = record.filter { !skip.contains($0.key) }.sorted { $0.key < $1.key }
                .map { "\($0.key)=\($0.value.string ?? $0.value.canonical)" }.joined(separator: " ")
            console.out(
                "\(record["seq"]?.int ?? 0) \(record["time"]?.string ?? "") \(record["event"]?.string ?? "") \(rest)\n")
        }
    }
}

struct AuditScenarioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenario", abstract: "Write the scenario that replays a recorded run, for 'runbook test'.")

    @Argument(help: "The run id (from 'runbook audit list' or the end of a run).") var runID: String
    @Option(name: .short, help: ArgumentHelp("Write it to this file instead of stdout.", valueName: "FILE"))
    var output: String?
    @OptionGroup var audit: AuditOptions

    func run() throws {
        let console = Console()
        guard let recorded = RecordedScenario(records: AuditReader(directory: audit.directory).records(run: runID))
        else {
            console.report([.noRun(runID, in: audit.directory)])
            throw ExitCode(.invalidInput)
        }
        if !recorded.secretParams.isEmpty {
            console.err(
                "note: secret params are not in the audit trail; supply them: \(recorded.secretParams.joined(separator: ", "))\n"
            )
        }
        guard let output else { return console.out(recorded.text) }
        try recorded.text.write(toFile: output, atomically: true, encoding: .utf8)
    }
}
