import FoundationEssentials
import Glibc
import RunbookAudit
import RunbookBasics
import RunbookDiagnostics
import RunbookEffects
import RunbookEngine
import RunbookEvents
import RunbookExpression
import RunbookGraph
import RunbookPlaybook

/// An earlier run read back for `runbook resume` and `runbook rollback`: its records, the
/// playbook it ran (from the recorded absolute path, so any working directory will do), and
/// the engine's view of what it did (README: interrupted runs).
package struct InterruptedRun {
    package var recorded: RecordedRun
    package var graph: StepGraph
    package var history: RunHistory
    /// Said before anything runs: what `--force` let through.
    package var warnings: [Diagnostic]

    /// Reads run `runID` from the audit trail in `auditDir` and loads its playbook; refuses a run
    /// that is still running, a playbook that is gone, and one that changed (unless `force`).
    package static func load(run runID: String, auditDir: String, force: Bool) -> Result<InterruptedRun, Refusal> {
        let records = AuditReader(directory: auditDir).records()
        guard let recorded = RecordedRun(run: runID, records: records) else {
            return .failure(
                Refusal([
                    .error(
                        "no run '\(runID)' in this audit trail", at: .file(auditDir),
                        hint: "'runbook audit list' shows the runs")
                ]))
        }
        let start = records.first { $0["run"]?.string == runID && $0.event == .runStart }
        if recorded.outcome == nil,
            isRunning(pid: start?["pid"]?.int, host: start?["host"]?.string, playbook: recorded.playbook)
        {
            return .failure(
                Refusal([
                    .error(
                        "run \(runID) is still running (pid \(start?["pid"]?.int ?? 0) on this host)",
                        at: .file(auditDir), hint: "wait for it to end, or interrupt it (Ctrl-C) first")
                ]))
        }
        if let later = recorded.resumedBy {
            return .failure(
                Refusal([
                    .error(
                        "run \(runID) was resumed by run \(later), which carries its completed steps forward",
                        at: .file(auditDir), hint: "resume or roll back \(later) instead")
                ]))
        }
        let path = recorded.path ?? recorded.file
        guard FileManager.default.fileExists(atPath: path) else {
            return .failure(
                Refusal([
                    .error(
                        "the playbook of run \(runID) is gone: \(path)", at: .file(path),
                        hint: "restore the file (its SHA-256 was \(recorded.fileSHA256 ?? "not recorded"))")
                ]))
        }
        let loaded = PlaybookLoader(library: .standard()).load(path: path)
        guard let graph = loaded.graph else { return .failure(Refusal(loaded.diagnostics)) }
        var warnings: [Diagnostic] = []
        let bytes = FileManager.default.contents(atPath: path) ?? Data()
        if let sha = recorded.fileSHA256, Digest.sha256Hex(bytes) != sha {
            let changes = Self.changes(recorded, graph)
            let message =
                "the playbook changed since run \(runID) (\(path))"
                + (changes.isEmpty ? "" : ": " + changes.joined(separator: "; "))
            guard force else {
                return .failure(
                    Refusal([
                        .error(
                            message, at: .file(path),
                            hint: "put the recorded version back, or pass --force to use the file as it is now")
                    ]))
            }
            warnings.append(.warning(message + " (--force: using the file as it is now)", at: .file(path)))
        }
        return .success(
            InterruptedRun(recorded: recorded, graph: graph, history: RunHistory(recorded), warnings: warnings))
    }

    /// Steps (actions, not groups or includes) that started and never ended.
    package var indeterminateActions: [String] {
        recorded.indeterminate.filter { id in
            guard let node = graph.step(id) else { return false }
            if case .action = node.body { return true }
            return false
        }
    }

    /// Why this run cannot be resumed: it ended, or it was rolling back; or a step that never
    /// ended needs a person and none will answer (`--yes` or no terminal, and no `--indeterminate`).
    package func resumeRefusal(decided: Bool, assumeYes: Bool) -> Diagnostic? {
        let operatorPresent = !assumeYes && Terminal.isAvailable()
        let run = recorded.run
        if let outcome = recorded.outcome {
            return .error(
                "run \(run) ended (\(outcome)): there is nothing to resume", at: .file(graph.playbook.file),
                hint: "'runbook rollback \(run)' undoes its completed steps; 'runbook run \(graph.id)' starts afresh")
        }
        if recorded.wasRollingBack {
            return .error(
                "run \(run) was rolling back when it stopped: resuming it would redo what it was undoing",
                at: .file(graph.playbook.file), hint: "finish the rollback with 'runbook rollback \(run)'")
        }
        let open = indeterminateActions
        if !open.isEmpty, !decided, !operatorPresent {
            return .error(
                "step \(open.map { "'\($0)'" }.joined(separator: ", ")) started in run \(run) and never ended: "
                    + "what it changed is unknown, and a person must decide",
                at: .file(graph.playbook.file),
                hint: "run 'runbook resume \(run)' at a terminal without --yes to be asked, or pass "
                    + "--indeterminate rerun|done|rollback")
        }
        return nil
    }

    /// Moves to the directory the earlier run's commands ran in, so relative paths in them mean
    /// the same; says so when it is gone (the commands then run here).
    package func enterDirectory(report: ([Diagnostic]) -> Void) {
        guard let directory = recorded.directory, directory != Path.currentDirectory() else { return }
        if !FileManager.default.changeCurrentDirectoryPath(directory) {
            report([
                .warning(
                    "the run's working directory \(directory) is gone: commands run in the current directory",
                    at: .file(directory))
            ])
        }
    }

    /// The recorded params as `-p` assignments (they win over the environment, as they did then);
    /// masked secrets are left out, so they come from their `env:` or the operator again.
    package func inputs(environment: [String: String]) -> ParamInputs {
        let assignments = recorded.params.sorted { $0.key < $1.key }.compactMap { name, value -> String? in
            guard !recorded.maskedParams.contains(name), let text = value.string ?? Self.scalarText(value) else {
                return nil
            }
            return "\(name)=\(text)"
        }
        return ParamInputs(assignments: assignments, environment: environment)
    }

    private static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .null, .array, .object: return nil
        default: return value.canonical
        }
    }

    /// Steps the earlier run started whose definition is no longer the same, or that are gone,
    /// and steps that are new.
    private static func changes(_ recorded: RecordedRun, _ graph: StepGraph) -> [String] {
        let current = Dictionary(graph.allSteps.map { ($0.id, $0.step.definitionDigest) }) { a, _ in a }
        var changed: [String] = []
        var removed: [String] = []
        for (id, digest) in recorded.definitions.sorted(by: { $0.key < $1.key }) {
            guard let now = current[id] else {
                removed.append(id)
                continue
            }
            if now != digest { changed.append(id) }
        }
        let known = Set(recorded.definitions.keys).union(recorded.skipped)
        let added = graph.allSteps.map(\.id).filter { !known.contains($0) }
        var out: [String] = []
        if !changed.isEmpty { out.append("changed " + changed.map { "'\($0)'" }.joined(separator: ", ")) }
        if !removed.isEmpty { out.append("removed " + removed.map { "'\($0)'" }.joined(separator: ", ")) }
        if !added.isEmpty {
            out.append(
                "not reached by that run (new, or after where it stopped) "
                    + added.map { "'\($0)'" }.joined(separator: ", "))
        }
        return out
    }

    /// A run without an end record is still running when its process is alive on this host and
    /// holds its playbook's lock.
    package static func isRunning(pid: Int?, host: String?, playbook: String) -> Bool {
        guard let pid, host == HostName.current() else { return false }
        return (kill(pid_t(pid), 0) == 0 || errno == EPERM) && RunLock.isHeld(playbook: playbook)
    }
}

/// Why an earlier run cannot be resumed or rolled back; nothing has run.
package struct Refusal: Error {
    package var diagnostics: [Diagnostic]

    init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
}

extension RunHistory {
    /// The engine's view of a recorded run; outputs get back the types they had.
    init(_ recorded: RecordedRun) {
        var ended: [String: Ended] = [:]
        for step in recorded.ended {
            ended[step.id] = Ended(
                status: StepStatus(rawValue: step.status) ?? .failed, exitCode: step.exitCode,
                outputs: Dictionary(
                    uniqueKeysWithValues: step.outputs.map {
                        ($0.key, Value(recorded: $0.value, type: step.outputTypes[$0.key]))
                    }),
                order: step.seq)
        }
        self.init(
            run: recorded.run, ended: ended, skipped: recorded.skipped, indeterminate: recorded.indeterminate,
            rolledBack: recorded.rolledBack, choices: recorded.choices)
        items = recorded.items
    }
}
