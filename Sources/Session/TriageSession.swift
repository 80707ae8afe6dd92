import Dispatch
import FoundationEssentials
import RunbookAudit
import RunbookBasics
import RunbookDiagnostics
import RunbookEffects
import RunbookEngine
import RunbookEvents
import RunbookExpression
import RunbookGraph
import RunbookPlaybook
import RunbookProcess
import RunbookReport

/// `runbook triage`: the symptom probes of many playbooks, in parallel, each an audited run in
/// mode `triage` with the engine's own decisions (guards, `expect`, retries), through effects
/// that execute read-only steps only. The playbooks whose symptoms are present come first,
/// with the evidence.
package struct TriageSession {
    package typealias Result = TriageResult

    package let graphs: [StepGraph]
    /// At most this many playbooks are probed at once.
    package let jobs: Int
    /// No probe attempt runs longer than this.
    package let timeout: TimeSpan

    /// Per playbook id: params as `NAME=VALUE` (from alert labels), and the alerts that name it.
    package var assignments: [String: [(String, String)]] = [:]
    package var alerts: [String: [String]] = [:]
    /// Each playbook's hosts for `on:` symptoms, by playbook file (`--inventory`, else its own `inventory:`).
    package var inventories: [String: Inventory] = [:]
    /// `--limit`: probe only these hosts or groups.
    package var limit: [String]?

    package init(graphs: [StepGraph], jobs: Int, timeout: TimeSpan) {
        self.graphs = graphs
        self.jobs = max(1, jobs)
        self.timeout = timeout
    }

    /// The options a playbook's probes run with: mode `triage`, the timeout cap, its hosts.
    private func options(for graph: StepGraph) -> RunOptions {
        var options = RunOptions(mode: .triage)
        options.timeoutCap = timeout
        options.inventory = inventories[graph.playbook.file]
        options.limit = limit
        return options
    }

    /// What would send a symptom probe to no host (an `on:` name the inventory lacks, no
    /// inventory, a `--limit` name that is neither host nor group), for every playbook at once:
    /// checked before anything is probed.
    package func targetProblems() -> [Diagnostic] {
        graphs.flatMap { Preflight.targetProblems($0, options: options(for: $0)) }
    }

    /// The playbooks a payload's firing alerts name (`alerts:` in the playbook), the params
    /// their labels fill (from the first such alert), and what to tell the operator: the firing
    /// alerts no playbook declares, and the further firings of an alert whose labels were not used.
    package mutating func take(_ payload: AlertmanagerPayload) -> (unclaimed: [String], unused: [String]) {
        var unclaimed: [String] = []
        var unused: [String] = []
        for alert in payload.firing {
            guard let name = alert.name else { continue }
            var claimed = false
            for graph in graphs {
                for binding in graph.playbook.alerts where binding.alert.value == name {
                    claimed = true
                    if !(alerts[graph.id] ?? []).contains(name) { alerts[graph.id, default: []].append(name) }
                    let values: [(String, String)] = binding.labels.compactMap { pair in
                        alert.labels[pair.label.value].map { (pair.param.value, $0) }
                    }
                    guard let used = assignments[graph.id] else {
                        assignments[graph.id] = values
                        continue
                    }
                    if values.map({ "\($0.0)=\($0.1)" }) != used.map({ "\($0.0)=\($0.1)" }) {
                        let text = values.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
                        unused.append(
                            "\(name) also fires with \(text); \(graph.id) was probed with the first firing's labels only"
                        )
                    }
                }
            }
            if !claimed, !unclaimed.contains(name) { unclaimed.append(name) }
        }
        return (unclaimed, unused)
    }

    /// Probes every playbook and returns the verdicts, matches first (most symptoms present,
    /// then severity, then id), then the rest by id.
    package func start(auditDir: String, environment: [String: String]) -> [Result] {
        let interruption = Interruption()
        let signals = SignalForwarder(interruption: interruption)
        defer { signals.stop() }
        // Probes run side by side, so what one leaves behind (`setsid cmd &`) cannot be swept
        // after each step as a run does; runbook is the subreaper of them all and ends every
        // stray once the last probe is done.
        let orphans = Orphans()
        defer { _ = orphans.endStrays(grace: .seconds(2)) }
        let results = Locked<[Result]>([])
        let slots = DispatchSemaphore(value: jobs)
        let group = DispatchGroup()
        for graph in graphs {
            slots.wait()
            group.enter()
            Threads.detach {
                let result = probe(graph, auditDir: auditDir, environment: environment, interruption: interruption)
                results.withLock { $0.append(result) }
                slots.signal()
                group.leave()
            }
        }
        group.wait()
        return results.withLock { Self.ranked($0) }
    }

    static func ranked(_ results: [Result]) -> [Result] {
        func severity(_ r: Result) -> Int { r.severity.flatMap { Int($0.dropFirst()) } ?? 9 }
        return results.sorted { a, b in
            // What the alert names first (matching or not), then what the probes found.
            if a.alerts.isEmpty != b.alerts.isEmpty { return !a.alerts.isEmpty }
            if (a.verdict == .match) != (b.verdict == .match) { return a.verdict == .match }
            if a.evidence.count != b.evidence.count { return a.evidence.count > b.evidence.count }
            if severity(a) != severity(b) { return severity(a) < severity(b) }
            return a.playbook < b.playbook
        }
    }

    private func probe(
        _ graph: StepGraph, auditDir: String, environment: [String: String], interruption: Interruption
    ) -> Result {
        var result = Result(
            playbook: graph.id, title: graph.playbook.title.value, file: graph.playbook.file,
            severity: graph.playbook.severity?.value.rawValue)
        let given = assignments[graph.id] ?? []
        result.alerts = alerts[graph.id] ?? []
        result.params = Dictionary(given) { _, b in b }
        let next =
            (["runbook run \(graph.id)"] + given.map { "-p \(ShellQuoting.quoteIfNeeded("\($0.0)=\($0.1)"))" }
            + ["--dry-run"]).joined(separator: " ")
        // What an alert names is worth starting with, whatever the probes find.
        if !result.alerts.isEmpty { result.next = next }
        let symptoms = graph.phases.first { $0.phase == .symptoms }?.steps.flatMap { $0.flattened() } ?? []
        guard !symptoms.isEmpty else {
            result.note = "no symptom probes"
            return result
        }
        let resolved = ParamResolver(params: graph.playbook.params).resolve(
            ParamInputs(assignments: given.map { "\($0.0)=\($0.1)" }, environment: environment))
        guard resolved.missing.isEmpty, !resolved.diagnostics.hasErrors else {
            let names = resolved.missing.map(\.name)
            // Say what is wrong with the values (an alert's label, say), not only that something is.
            let problem = resolved.diagnostics.first { $0.severity == .error }?.message
            result.note =
                names.isEmpty
                ? "its params do not resolve: \(problem ?? "run 'runbook validate \(graph.playbook.file)'")"
                : "needs \(names.map { "-p \($0)=…" }.joined(separator: " ")) to probe"
            return result
        }
        let audit: AuditLog
        do {
            audit = try RunSession.openAudit(graph: graph, directory: auditDir, params: resolved.resolved)
        } catch {
            result.note = "cannot write the audit trail: \(error)"
            return result
        }
        let live = LiveEffects(terminal: nil, interruption: interruption, runner: ProcessRunner()) { _, _, _ in }
        defer { live.closeConnections() }
        live.auditFailure = { audit.failure.map { "the audit trail cannot be written: \($0)" } }
        let evidence = EvidenceCollector()
        var options = options(for: graph)
        options.environment = environment
        let finished = Engine(
            graph: graph, params: resolved.resolved, options: options,
            // Only read-only steps execute; a symptom step marked otherwise is planned, never run.
            effects: DryRunEffects(probe: live), observer: ObserverFanout([audit, evidence])
        ).run()
        result.run = audit.runID
        // Probes that ran: a step only planned (not read-only) found nothing and is not counted;
        // a fan-out is one symptom, however many items it probed.
        result.probes =
            symptoms.filter { node in
                evidence.ended[node.id].map { $0.status != .planned && $0.status != .skipped } ?? false
            }.count
        for node in symptoms {
            guard let finished = evidence.ended[node.id], finished.status == .ok else { continue }
            // A fan-out's evidence is the first item (host) that found the symptom.
            var id = node.id
            if node.step.isFanOut {
                var index = 0
                while let item = evidence.ended[node.itemID(index)], item.status != .ok { index += 1 }
                if evidence.ended[node.itemID(index)] != nil { id = node.itemID(index) }
            }
            let found = evidence.ended[id] ?? finished
            let output = (found.stdout?.text ?? "").split(separator: "\n", omittingEmptySubsequences: true)
            result.evidence.append(
                TriageResult.Evidence(
                    step: id, title: evidence.titles[id] ?? node.step.title?.value,
                    command: evidence.commands[id] ?? evidence.commands[node.id],
                    expect: node.step.expect?.value ?? "exit_code == 0", output: output.prefix(5).map(String.init)))
        }
        switch finished.outcome {
        case .symptomsPresent:
            result.verdict = TriageResult.Verdict.match
            result.next = next
        case .interrupted: result.verdict = .interrupted
        default: result.verdict = .noMatch
        }
        return result
    }
}

/// What each symptom probe showed: its rendered title and command, and how it ended.
private final class EvidenceCollector: EngineObserver, @unchecked Sendable {
    var titles: [String: String] = [:]
    var commands: [String: String] = [:]
    var ended: [String: StepFinished] = [:]

    func handle(_ event: EngineEvent) {
        switch event {
        case .stepStarted(let started):
            titles[started.id] = started.title
            commands[started.id] = started.display
        case .stepFinished(let finished): ended[finished.id] = finished
        default: break
        }
    }
}
