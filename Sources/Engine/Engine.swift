import FoundationEssentials
import RunbookBasics
import RunbookEvents
import RunbookGraph
import RunbookPlaybook

/// Walks a `StepGraph` and makes every decision of a run; `Effects` carry them out.
///
/// Guards, confirmations, retries, `expect`, failure policy, rollback order and what is
/// reported are all decided here, identically for live runs, dry-runs and rehearsals.
package final class Engine {
    let graph: StepGraph
    let params: ResolvedParams
    let options: RunOptions
    let effects: Effects
    let observer: EngineObserver
    /// Steps that completed and have compensation, oldest first.
    var completed: [CompletedStep] = []
    /// Mutating steps that completed without any rollback action, oldest first.
    var leftInPlace: [String] = []
    /// The first verify step that failed with `on_failure: continue`: the run did not recover.
    var failedVerification: String?
    /// True once any step's result was unknown because it was not executed.
    var completedUnknown = false
    /// The first mutating step that was planned, not executed (dry-run): later read-only
    /// commands would see its change in a live run, so they are not probed.
    var plannedChange: String?
    private var started = Date()
    /// Escalation entries already announced (by index).
    private var escalated: Set<Int> = []
    /// A game day reports the run's end itself, after reverting the fault.
    var holdFinish = false
    /// Rollback actions an earlier run already completed: `runbook rollback` does not repeat them.
    var alreadyRolledBack: Set<String> = []
    /// Events reach the observers one at a time, also from the items of a `parallel:` fan-out.
    private let emitting = Locked<Void>(())
    /// `exit_code == 0`, what a command must do when its step has no `expect`: parsed once per
    /// run rather than for every attempt (`expectation(of:)`).
    let exitedZero = Engine.parseDefaultExpectation()

    /// A completed step's rollback actions with the scope they render in.
    struct CompletedStep {
        var step: GraphStep
        var scope: RunScope
    }

    /// Why the run stops before its end.
    enum Stop {
        case failure(step: String, policy: FailurePolicy)
        case declined(step: String)
        case interrupted

        /// The step the run stops at, unless a signal stopped it.
        var step: String? {
            switch self {
            case .failure(let step, _), .declined(let step): return step
            case .interrupted: return nil
            }
        }
    }

    package init(
        graph: StepGraph, params: ResolvedParams, options: RunOptions, effects: Effects, observer: EngineObserver
    ) {
        self.graph = graph
        self.params = params
        self.options = options
        self.effects = effects
        self.observer = observer
    }

    /// Runs the playbook to its end, or to a stop and the rollback it calls for.
    @discardableResult
    package func run() -> RunFinished {
        begin()
        var scope = RunScope(params: params, environment: options.environment, prefix: "")
        return runPhases(scope: &scope)
    }

    /// Reports the run's start (and starts its clock).
    func begin(prior: PriorRun? = nil) {
        started = effects.now()
        observer.handle(
            .runStarted(
                RunStarted(
                    playbookID: graph.id,
                    title: render(
                        graph.playbook.title,
                        scope: RunScope(params: params, environment: options.environment, prefix: ""))
                        ?? graph.playbook.title.value,
                    file: graph.playbook.file,
                    mode: options.mode,
                    params: params.masked, severity: graph.playbook.severity?.value.rawValue,
                    prevention: graph.playbook.prevention, prior: prior)))
    }

    /// The phases in order, with the symptom gate, to the end or to a stop.
    func runPhases(scope: inout RunScope) -> RunFinished {
        if options.mode == .triage { return triage(scope: &scope) }
        var gateChecked = false
        for phase in graph.phases {
            if phase.phase != .symptoms, !gateChecked, symptomsAbsent(scope) {
                observer.handle(.notice("no symptom present: nothing to do (use --force to run anyway)"))
                return finish(.noSymptoms, failedStep: nil)
            }
            if phase.phase != .symptoms { gateChecked = true }
            if let stop = runSteps(phase.steps, scope: &scope, depth: 0, alternative: nil) {
                return conclude(stop)
            }
        }
        // A run whose steps were only planned has recovered nothing; say what it did. Nor has a
        // run whose verification failed, even where the playbook said to go on.
        if completedUnknown || options.mode == .dryRun { return finish(.planned, failedStep: nil) }
        if let failed = failedVerification { return finish(.failed, failedStep: failed) }
        return finish(.recovered, failedStep: nil)
    }

    /// `runbook triage`: the symptom probes alone. A probe that fails or stops the phase is
    /// only a symptom not found; a probe that could not run (not read-only) finds nothing.
    private func triage(scope: inout RunScope) -> RunFinished {
        let symptoms = graph.phases.first { $0.phase == .symptoms }?.steps ?? []
        if case .interrupted = runSteps(symptoms, scope: &scope, depth: 0, alternative: nil) {
            return finish(.interrupted, failedStep: nil)
        }
        let ids = symptoms.flatMap { $0.flattened() }.map { scope.localID($0.id) }
        let present = ids.contains { scope.expressions.steps[$0]?.status == .ok }
        return finish(present ? .symptomsPresent : .noSymptoms, failedStep: nil)
    }

    /// SPEC §1.1: with symptom steps and none present, stop before diagnosis (unless `--force`).
    private func symptomsAbsent(_ scope: RunScope) -> Bool {
        guard graph.hasSymptoms, !options.force else { return false }
        let symptoms = graph.phases.first { $0.phase == .symptoms }?.steps ?? []
        let ids = symptoms.flatMap { $0.flattened() }.map { scope.localID($0.id) }
        if ids.contains(where: { scope.unknown.contains($0) }) {
            emit(
                .notice("symptoms were not probed, so the plan continues as if one were present (--probe checks them)"))
            return false
        }
        return !ids.contains { scope.expressions.steps[$0]?.status == .ok }
    }

    func conclude(_ stop: Stop) -> RunFinished {
        if options.mode == .dryRun, let step = stop.step {
            // A dry-run changes nothing, so it has nothing to undo: it says what a live run would do.
            emit(.notice(wouldStop(at: step, stop)))
            return finish(.planned, failedStep: nil)
        }
        switch stop {
        case .failure(let step, .abort), .failure(let step, .continue):
            // `abort` leaves completed steps as they are: say which have a rollback that did not run.
            return finish(.failed, failedStep: step, notRolledBack: completed.map(\.step.id))
        case .failure(let step, .rollback):
            // Nothing to undo is not a rollback: the run failed.
            return rollBack(then: .rolledBack, failedStep: step)
        case .declined(let step):
            return rollBack(then: .declined, failedStep: step)
        case .interrupted:
            guard effects.rollbackAfterInterrupt() else {
                return finish(.interrupted, failedStep: nil, notRolledBack: completed.map(\.step.id))
            }
            return rollBack(then: .interrupted, failedStep: nil)
        }
    }

    /// What a live run would do where this dry-run stopped.
    private func wouldStop(at step: String, _ stop: Stop) -> String {
        let undo = completed.map(\.step.id).reversed()
        guard case .failure(_, .rollback) = stop, !undo.isEmpty else {
            return "a live run would stop at '\(step)' and roll nothing back"
        }
        return "a live run would stop at '\(step)' and roll back \(undo.map { "'\($0)'" }.joined(separator: ", "))"
    }

    private func rollBack(then outcome: RunOutcome, failedStep: String?) -> RunFinished {
        switch rollBackCompleted() {
        // Nothing undone is not a rollback: the run failed (a declined or interrupted run stays so).
        case .done(ran: 0) where outcome == .rolledBack: return finish(.failed, failedStep: failedStep)
        case .done: return finish(outcome, failedStep: failedStep)
        case .someFailed: return finish(.rollbackFailed, failedStep: failedStep)
        case .stopped(let remaining): return finish(.interrupted, failedStep: failedStep, notRolledBack: remaining)
        }
    }

    func finish(
        _ outcome: RunOutcome, failedStep: String?, notRolledBack: [String] = [], exitStatus: ExitStatus? = nil
    ) -> RunFinished {
        let finished = RunFinished(
            outcome: outcome, exitStatus: exitStatus ?? outcome.exitStatus, failedStep: failedStep,
            durationMS: Int((effects.now().timeIntervalSince(started) * 1000).rounded()),
            signal: effects.interruptingSignal, notRolledBack: notRolledBack,
            leftInPlace: outcome == .recovered ? [] : leftInPlace)
        if !holdFinish { observer.handle(.runFinished(finished)) }
        return finished
    }

    func emit(_ event: EngineEvent) {
        emitting.withLock { _ in
            switch event {
            case .stepStarted, .stepFinished: announceEscalation()
            default: break
            }
            observer.handle(event)
        }
    }

    /// A live run of a P1 or P2 playbook that has gone on past an `escalation.after` says whom to
    /// call, once per entry, as a note the audit trail keeps (checked as steps start and end).
    private func announceEscalation() {
        guard options.mode == .live, let severity = graph.playbook.severity?.value, severity == .P1 || severity == .P2
        else {
            return
        }
        let elapsed = effects.now().timeIntervalSince(started)
        for (k, entry) in graph.playbook.escalation.enumerated() where !escalated.contains(k) {
            guard let after = entry.after, elapsed >= after.seconds else { continue }
            escalated.insert(k)
            observer.handle(
                .notice(
                    "escalate: \(after) into the run (\(severity.rawValue)) — contact \(entry.to)"
                        + (entry.note.map { " (\($0))" } ?? "")))
        }
    }
}
