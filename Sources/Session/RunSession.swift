import Dispatch
import FoundationEssentials
import Glibc
import RunbookAudit
import RunbookBasics
import RunbookDiagnostics
import RunbookEffects
import RunbookEngine
import RunbookEvents
import RunbookGraph
import RunbookProcess
import RunbookReport

/// Everything around one `runbook run`: params, preflight, lock, effects, observers, Ctrl-C.
///
/// Nothing here decides what a step does; it prepares the engine and checks, before the
/// first step, everything that can be checked.
package struct RunSession {
    package let graph: StepGraph
    package let options: RunOptions
    /// Writes to the operator's screen (stdout), notes beside the results (stderr, e.g. the chain
    /// head under `--json`), and reports diagnostics (stderr). The library prints nothing itself.
    package let write: @Sendable (String) -> Void
    package let note: (String) -> Void
    package let report: ([Diagnostic]) -> Void
    package let json: Bool
    /// A game day instead of a run: how long to wait for detection, and how often to look.
    package var gameDay: (detectWithin: TimeSpan, interval: TimeSpan)?
    /// `runbook rollback`: undo this earlier run's completed steps instead of running the playbook.
    package var rollback: RunHistory?
    /// At a terminal that takes escape codes: where the live status line is drawn, and how wide
    /// it may be (README: "Running a playbook").
    package var statusLine: RunRenderer.StatusLine?

    package init(
        graph: StepGraph, options: RunOptions, json: Bool, write: @escaping @Sendable (String) -> Void,
        note: @escaping (String) -> Void, report: @escaping ([Diagnostic]) -> Void
    ) {
        self.graph = graph
        self.options = options
        self.json = json
        self.write = write
        self.note = note
        self.report = report
    }

    package func start(params inputs: ParamInputs, probe: Bool, noWait: Bool, auditDir: String) throws -> ExitStatus {
        let dryRun = options.mode == .dryRun
        let choices =
            Preflight.unknownChoices(graph, options: options) + Preflight.targetProblems(graph, options: options)
        guard choices.isEmpty else {
            report(choices)
            return .invalidInput
        }
        let interruption = Interruption()
        let terminal = Terminal(interruption: interruption)
        guard let params = resolveParams(inputs, terminal: terminal) else { return .invalidInput }
        // A rollback runs no playbook step: an action that needs a person fails without one, and says so.
        if !dryRun, rollback == nil, terminal == nil, let refusal = operatorRefusal(params: params) {
            report([refusal])
            return .invalidInput
        }
        var lock: RunLock?
        if !dryRun {
            switch RunLock.acquire(playbook: graph.id, wait: !noWait, onWait: { write("waiting: \($0)\n") }) {
            case .success(let acquired): lock = acquired
            case .failure(let diagnostic):
                report([diagnostic])
                return .invalidInput
            }
        }
        defer { lock?.release() }
        let audit: AuditLog
        do {
            audit = try openAudit(directory: auditDir, params: params)
            // A plan records no effect: its records are made durable once, at its end; without
            // probes, which start processes, they are also built on another processor and
            // written in batches (`AuditLog.holdRecords`).
            if dryRun && !probe {
                audit.holdRecords()
            } else {
                audit.file.syncEachRecord = !dryRun
            }
        } catch {
            report([
                .error(
                    "cannot write the audit trail: \(error)", at: .file(auditDir),
                    hint: "pass --audit-dir to a writable folder; nothing runs without its audit record")
            ])
            return .invalidInput
        }
        // No step starts without its record: a failed append stops the run as an interrupt would,
        // and the runner refuses to start anything once it is set.
        audit.onFailure = { interruption.interrupt() }
        let signals = SignalForwarder(interruption: interruption)
        defer { signals.stop() }
        let plain: @Sendable (String) -> Void = { [json, write] text in if !json { write(text) } }
        let renderer = RunRenderer(write: plain, statusLine: json || dryRun ? nil : statusLine)
        defer { renderer.stop() }
        let runner = ProcessRunner(orphans: dryRun && !probe ? nil : Orphans())
        let live = LiveEffects(terminal: terminal, interruption: interruption, runner: runner) { step, lines, channel in
            renderer.output(step: step, lines: lines, channel: channel)
        }
        defer { live.closeConnections() }
        live.auditFailure = { audit.failure.map { "the audit trail cannot be written: \($0)" } }
        live.beforeWaiting = { audit.sync() }
        let effects: Effects = dryRun ? DryRunEffects(probe: probe ? live : nil, interruption: interruption) : live
        // The events as JSON are printed only with --json: collected only then.
        let collector = json && gameDay == nil ? EventCollector(secrets: params.secretValues) : nil
        let observers = ObserverFanout([audit, renderer] + (collector.map { [$0] } ?? []))
        let engine = Engine(graph: graph, params: params, options: options, effects: effects, observer: observers)
        let finished: RunFinished
        if let gameDay {
            let day = engine.gameDay(detectWithin: gameDay.detectWithin, interval: gameDay.interval)
            finished = day.finished
            write(json ? JSONOutput.encode(GameDayCard(day), snakeCase: true) : day.scorecard)
        } else if let rollback {
            finished = engine.rollBack(rollback)
        } else if options.resume != nil {
            finished = engine.resume()
        } else {
            finished = engine.run()
        }
        if let collector { write(collector.json()) }
        var findings: [Diagnostic] = []
        if let failure = audit.failure {
            findings.append(
                .error("the audit trail could not be written completely: \(failure)", at: .file(audit.file.path)))
        }
        if !finished.notRolledBack.isEmpty {
            let list = finished.notRolledBack.joined(separator: ", ")
            let message: String
            var hint = "check each one and undo it by hand only where that is safe"
            if let rollback {
                message =
                    "not rolled back: \(list), which started and never ended in run \(rollback.run); a rollback does "
                    + "not assume what such a step did"
                hint += " (or run 'runbook rollback \(rollback.run)' at a terminal to be asked)"
            } else {
                let why: String
                if audit.failure != nil {
                    why = "nothing more could be recorded"
                    hint += " once the audit trail can be written"
                } else if let signal = finished.signal {
                    why = "interrupted by \(signal)"
                } else {
                    why =
                        "'\(finished.failedStep ?? "?")' failed with on_failure: abort, which stops without rolling back"
                }
                message = "\(why): these completed steps were not rolled back: \(list)"
            }
            findings.append(
                .warning(
                    message, at: .file(graph.playbook.file),
                    hint: hint + "; their rollback commands are in 'runbook show \(graph.id)'"))
        }
        report(findings)
        if let head = audit.head {
            let line =
                "audit: run \(audit.runID) · chain head \(head.seq):\(head.hash) (keep it in the incident ticket)\n"
            if json { note(line) } else { write(line) }
        }
        return finished.exitStatus
    }

    private func openAudit(directory: String, params: ResolvedParams) throws -> AuditLog {
        try Self.openAudit(graph: graph, directory: directory, params: params)
    }

    /// The audit log of one run of `graph`, with the context every `run.start` records.
    static func openAudit(graph: StepGraph, directory: String, params: ResolvedParams) throws -> AuditLog {
        let file = try AuditFile(directory: directory)
        let bytes = FileManager.default.contents(atPath: graph.playbook.file) ?? Data()
        let env = ProcessEnvironment.current
        let cwd = Path.currentDirectory()
        let context: [String: JSONValue] = [
            "file_sha256": .string(Digest.sha256Hex(bytes)),
            "user": .string(OperatorName.current()),
            "host": .string(HostName.current()),
            "argv": .array(CommandLine.arguments.map(JSONValue.string)),
            // Where the playbook is, whatever the working directory, and which process ran it:
            // what `audit list` needs to tell a killed run from one still running.
            "path": .string(Path.absolute(graph.playbook.file, in: cwd)),
            "pid": .int(Int(getpid())),
            "cwd": .string(cwd),
        ]
        return AuditLog(
            file: file, runID: AuditLog.newRunID(), secrets: params.secretValues,
            key: AuditChain.key(in: env), context: context)
    }

    /// Params from every source; missing ones asked at the terminal, else all problems in one error.
    private func resolveParams(_ inputs: ParamInputs, terminal: Terminal?) -> ResolvedParams? {
        let resolver = ParamResolver(params: graph.playbook.params)
        var outcome = resolver.resolve(inputs)
        if !outcome.missing.isEmpty, let terminal, !outcome.diagnostics.hasErrors {
            var answers: [String: String] = [:]
            for param in outcome.missing {
                let question = "\(param.name)\(param.description.map { " (\($0))" } ?? ""): "
                if let answer = param.secret ? terminal.askSecret(question) : terminal.ask(question) {
                    answers[param.name] = answer
                }
            }
            outcome = resolver.supply(answers, to: outcome)
        }
        var diagnostics = outcome.diagnostics
        for param in outcome.missing {
            diagnostics.append(
                .error(
                    "missing required param '\(param.name)'", at: ParamInputs.commandLine,
                    hint: "pass -p \(param.name)=VALUE\(param.env.map { " or set $\($0)" } ?? "")"))
        }
        guard !diagnostics.hasErrors else {
            report(diagnostics)
            return nil
        }
        return outcome.resolved
    }

    private func operatorRefusal(params: ResolvedParams) -> Diagnostic? {
        let needs = Preflight.stepsNeedingOperator(graph, params: params, options: options)
        guard !needs.isEmpty else { return nil }
        let list = needs.map { "'\($0.id)' \($0.reason)" }.joined(separator: "; ")
        return .error(
            "this run needs an operator at a terminal, and there is none: \(list)", at: .file(graph.playbook.file),
            hint: "run it from a terminal, pass --yes to approve confirmations (manual steps still need a person), "
                + "or use --dry-run to see the plan")
    }
}

/// Sends every event to several observers in order (terminal, audit log, JSON).
package final class ObserverFanout: EngineObserver {
    private let observers: [EngineObserver]

    package init(_ observers: [EngineObserver]) {
        self.observers = observers
    }

    package func handle(_ event: EngineEvent) {
        for observer in observers { observer.handle(event) }
    }
}

/// Turns SIGINT (Ctrl-C), SIGTERM (`systemctl stop`, `timeout`, a container runtime) and
/// SIGHUP (a dropped SSH session) into an `Interruption` instead of dying mid-step and
/// leaving the step's processes behind; a second one forces the running group's end.
final class SignalForwarder {
    static let handled = [SIGINT, SIGTERM, SIGHUP]
    private let sources: [DispatchSourceSignal]

    init(interruption: Interruption) {
        sources = Self.handled.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { @Sendable in interruption.interrupt(signal: number) }
            source.resume()
            return source
        }
    }

    func stop() {
        for source in sources { source.cancel() }
        for number in Self.handled { signal(number, SIG_DFL) }
    }
}
