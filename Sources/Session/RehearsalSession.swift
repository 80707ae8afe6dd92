import Foundation
import RunbookAudit
import RunbookDiagnostics
import RunbookEffects
import RunbookEngine
import RunbookEvents
import RunbookGraph
import RunbookPlaybook
import RunbookReport

/// A rehearsal (SPEC §5): the real engine on a scenario's scripted effects and virtual clock —
/// nothing is executed — audited with mode `rehearsal`, then compared with the scenario.
package struct RehearsalSession {
    package let graph: StepGraph
    package let scenario: Scenario
    /// The run as a live run prints it; nil to rehearse quietly (`runbook test`).
    package let write: (@Sendable (String) -> Void)?
    package let report: ([Diagnostic]) -> Void

    package init(
        graph: StepGraph, scenario: Scenario, write: (@Sendable (String) -> Void)?,
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

    /// Nil (after reporting why) when the scenario has errors, does not fit the playbook, or
    /// cannot be audited. `decoding` holds the scenario file's own findings, reported together
    /// with those of checking it against the playbook.
    package func start(auditDir: String, decoding: [Diagnostic] = []) -> Result? {
        let findings = decoding + ScenarioChecker.check(scenario, against: graph)
        guard !findings.hasErrors else {
            report(findings.sorted { $0.location < $1.location })
            return nil
        }
        let assignments = scenario.params.map { "\($0.name.value)=\($0.value)" }
        let outcome = ParamResolver(params: graph.playbook.params).resolve(ParamInputs(assignments: assignments))
        guard outcome.missing.isEmpty, !outcome.diagnostics.hasErrors else {
            let missing = outcome.missing.map {
                Diagnostic.error(
                    "the scenario gives no value for required param '\($0)'", at: scenario.location,
                    hint: "add it under params:")
            }
            report(outcome.diagnostics + missing)
            return nil
        }
        let audit: AuditLog
        do {
            audit = try RunSession.openAudit(graph: graph, directory: auditDir, params: outcome.resolved)
        } catch {
            report([.error("cannot write the audit trail: \(error)", at: .file(auditDir))])
            return nil
        }
        let effects = ScriptedEffects(scenario: scenario)
        let record = RehearsalRecord()
        var observers: [EngineObserver] = [audit, record]
        if let write { observers.append(RunRenderer(write: write)) }
        let engine = Engine(
            graph: graph, params: outcome.resolved, options: RunOptions(mode: .rehearsal, assumeYes: false),
            effects: effects, observer: ObserverFanout(observers))
        engine.run()
        var misses = record.misses(scenario, unscripted: effects.unscripted)
        if let failure = audit.failure { misses.append("the audit trail could not be written: \(failure)") }
        return Result(record: record, misses: misses)
    }
}
