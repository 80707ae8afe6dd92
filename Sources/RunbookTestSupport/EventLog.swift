import RunbookEvents

/// Collects engine events for assertions.
package final class EventLog: EngineObserver {
    package private(set) var events: [EngineEvent] = []

    package init() {}

    package func handle(_ event: EngineEvent) { events.append(event) }

    /// A compact trace: `start id`, `end id status`, `skip id`, `confirm id answer`, `choose id option`,
    /// `rollback id status`, `run outcome`.
    package var trace: [String] {
        events.compactMap { event in
            switch event {
            case .stepStarted(let s): return s.attempt > 1 ? "retry \(s.id) \(s.attempt)" : "start \(s.id)"
            case .stepFinished(let f): return "end \(f.id) \(f.status.rawValue)"
            case .stepSkipped(let s): return "skip \(s.id)"
            case .confirmation(let c): return "confirm \(c.stepID) \(c.answer.rawValue)"
            case .choice(let c): return "choose \(c.stepID) \(c.option ?? "*")"
            case .rollbackStarted: return nil
            case .rollbackFinished(let f): return "rollback \(f.id) \(f.status.rawValue)"
            case .runFinished(let r): return "run \(r.outcome.rawValue)"
            case .runStarted, .notice: return nil
            }
        }
    }
}

extension EventLog {
    /// Every step start (attempts and rollback actions aside), in order.
    package var started: [StepStarted] {
        events.compactMap { event in
            if case .stepStarted(let s) = event { return s }
            return nil
        }
    }

    /// Every step end (rollback actions aside), in order.
    package var finished: [StepFinished] {
        events.compactMap { event in
            if case .stepFinished(let f) = event { return f }
            return nil
        }
    }

    package var notices: [String] {
        events.compactMap { event in
            if case .notice(let text) = event { return text }
            return nil
        }
    }

    package func started(_ id: String) -> StepStarted? { started.first { $0.id == id } }
    package func finished(_ id: String) -> StepFinished? { finished.first { $0.id == id } }
}
