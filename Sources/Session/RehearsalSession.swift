import FoundationEssentials
import RunbookAudit
import RunbookDiagnostics
import RunbookEffects
import RunbookEngine
import RunbookEvents
import RunbookGraph
import RunbookPlaybook
import RunbookProcess
import RunbookReport

/// A rehearsal (SPEC §5): the real engine on a scenario's scripted effects and virtual clock —
/// nothing is executed — audited with mode `rehearsal`, then compared with the scenario.
package struct RehearsalSession {
    package let graph: StepGraph
    package let scenario: Scenario?
    /// The run as a live run prints it; nil to rehearse quietly (`runbook test`).
    package let write: (@Sendable (String) -> Void)?
    package let report: ([Diagnostic]) -> Void
    /// The hosts `on:` names (`--inventory`, else the playbook's `inventory:`): a rehearsal
    /// fans out over them as a run would, and contacts none of them.
    package var inventory: Inventory?
    /// `--limit`: only these hosts or groups.
    package var limit: [String]?

    package init(
        graph: StepGraph, scenario: Scenario?, write: (@Sendable (String) -> Void)?,
        report: @escaping ([Diagnostic]) -> Void
    ) {
        self.graph = graph
        self.scenario = scenario
        self.write = write
        self.report = report
    }

    /// What came of a rehearsal.
    package struct Result {
        package var record: RehearsalRecord
        /// The expectations that did not hold; empty when the rehearsal passed.
        package var misses: [String]
        package var passed: Bool { misses.isEmpty }
    }

    /// A rehearsal's options: nothing is assumed approved; the hosts are named, never contacted.
    private var options: RunOptions {
        var options = RunOptions(mode: .rehearsal, assumeYes: false)
        options.inventory = inventory
        options.limit = limit
        return options
    }

    /// Nil (after reporting why) when the scenario has errors, does not fit the playbook, or
    /// cannot be audited. `decoding` holds the scenario file's own findings, reported together
    /// with those of checking it against the playbook.
    package func start(auditDir: String, decoding: [Diagnostic] = []) -> Result? {
        guard let scenario else { return nil }
        let findings =
            decoding + ScenarioChecker.check(scenario, against: graph)
            + Preflight.targetProblems(graph, options: options)
        guard !findings.hasErrors else {
            report(findings.sorted { $0.location < $1.location })
            return nil
        }
        let assignments = scenario.params.map { "\($0.name.value)=\($0.value)" }
        guard
            let params = Self.resolve(
                graph, ParamInputs(assignments: assignments), missing: "the scenario gives no value for required param",
                at: scenario.location, hint: "add it under params:", report: report)
        else { return nil }
        let effects = ScriptedEffects(scenario: scenario)
        // At a terminal (`rehearse`, not `test`), a step the scenario does not script is asked for.
        if write != nil, let terminal = Terminal(interruption: Interruption()) {
            effects.unscriptedAnswers = TabletopEffects { terminal.ask($0) }
        }
        guard let (record, audit) = rehearse(params: params, effects: effects, auditDir: auditDir) else {
            return nil
        }
        var misses = record.misses(scenario, unscripted: effects.unscripted)
        if let failure = audit.failure { misses.append("the audit trail could not be written: \(failure)") }
        return Result(record: record, misses: misses)
    }

    /// A tabletop drill: the facilitator is asked each step's outcome, nothing executes. `ask`
    /// puts the questions (nil: the terminal's, refused without one). Nil (after reporting why)
    /// when there is nobody to ask, the params do not resolve or the run cannot be audited.
    package static func tabletop(
        graph: StepGraph, params inputs: ParamInputs, ask: ((String) -> String?)?,
        write: @escaping @Sendable (String) -> Void, report: @escaping ([Diagnostic]) -> Void, auditDir: String,
        inventory: Inventory? = nil, limit: [String]? = nil
    ) -> RehearsalRecord? {
        let terminal = ask == nil ? Terminal(interruption: Interruption()) : nil
        guard let ask = ask ?? terminal.map({ terminal in { terminal.ask($0) } }) else {
            report([
                .error(
                    "a tabletop drill asks the facilitator at a terminal, and there is none", at: .file("runbook"),
                    hint: "run it from a terminal, or rehearse a scenario with --scenario FILE")
            ])
            return nil
        }
        guard
            let params = resolve(
                graph, inputs, missing: "missing required param", at: .file(graph.playbook.file),
                hint: "pass -p NAME=VALUE", report: report)
        else { return nil }
        var session = RehearsalSession(graph: graph, scenario: nil, write: write, report: report)
        session.inventory = inventory
        session.limit = limit
        let problems = Preflight.targetProblems(graph, options: session.options)
        guard problems.isEmpty else {
            report(problems)
            return nil
        }
        return session.rehearse(params: params, effects: TabletopEffects(ask: ask), auditDir: auditDir)?.0
    }

    /// The params of a rehearsal, nothing asked: nil after reporting every problem at once.
    private static func resolve(
        _ graph: StepGraph, _ inputs: ParamInputs, missing message: String, at location: SourceLocation,
        hint: String, report: ([Diagnostic]) -> Void
    ) -> ResolvedParams? {
        let outcome = ParamResolver(params: graph.playbook.params).resolve(inputs)
        guard outcome.missing.isEmpty, !outcome.diagnostics.hasErrors else {
            let missing = outcome.missing.map { Diagnostic.error("\(message) '\($0)'", at: location, hint: hint) }
            report(outcome.diagnostics + missing)
            return nil
        }
        return outcome.resolved
    }

    /// Runs the engine in rehearsal mode on `effects`, audited, with the record (and renderer).
    private func rehearse(params: ResolvedParams, effects: Effects, auditDir: String) -> (RehearsalRecord, AuditLog)? {
        let audit: AuditLog
        do {
            audit = try RunSession.openAudit(graph: graph, directory: auditDir, params: params)
            // A rehearsal records no effect and starts no process: its records are built on
            // another processor, written in batches and made durable with one fsync at its end.
            audit.holdRecords()
        } catch {
            report([.error("cannot write the audit trail: \(error)", at: .file(auditDir))])
            return nil
        }
        let record = RehearsalRecord()
        var observers: [EngineObserver] = [audit, record]
        if let write { observers.append(RunRenderer(write: write)) }
        let engine = Engine(
            graph: graph, params: params, options: options, effects: effects, observer: ObserverFanout(observers))
        engine.run()
        return (record, audit)
    }
}
