import FoundationEssentials
import RunbookEvents
import RunbookPlaybook

/// What a rehearsal did, collected from the engine's events: the path, the decisions, the
/// rollbacks and the simulated time; and the scorecard that compares it with the scenario.
package final class RehearsalRecord: EngineObserver {
    /// Step ids in the order they started (containers and rollback actions included).
    package private(set) var path: [String] = []
    package private(set) var skipped: [String] = []
    package private(set) var decisions: [String] = []
    package private(set) var rollbacks: [String] = []
    package private(set) var finished: RunFinished?
    /// Simulated milliseconds spent in symptoms and diagnosis, and in recovery and verify.
    package private(set) var diagnoseMS = 0
    package private(set) var recoverMS = 0
    private var phases: [String: Phase] = [:]

    package init() {}

    package func handle(_ event: EngineEvent) {
        switch event {
        case .stepStarted(let s) where s.attempt == 1:
            path.append(s.id)
            phases[s.id] = s.phase
            if let g = s.guardRecord {
                decisions.append("\(s.id): when \(g.expression) → \(g.state.rawValue)\(g.valuesText)")
            }
        case .stepSkipped(let s):
            skipped.append(s.id)
            let values = s.guardRecord?.valuesText ?? ""
            decisions.append("\(s.id): skipped, \(s.reason)\(values)")
        case .choice(let c):
            decisions.append("\(c.stepID): option \(c.option ?? "(every)") (\(c.by))")
        case .confirmation(let c):
            decisions.append("\(c.stepID): confirmation → \(c.answer.rawValue)")
        case .rollbackStarted(let r):
            path.append(r.id)
            rollbacks.append(r.id)
        case .stepFinished(let f):
            switch phases[f.id] {
            case .symptoms?, .diagnosis?: diagnoseMS += f.durationMS
            default: recoverMS += f.durationMS
            }
        case .rollbackFinished(let f): recoverMS += f.durationMS
        case .runFinished(let f): finished = f
        default: break
        }
    }

    /// Each expectation of the scenario that did not hold, and each step it reached unscripted.
    package func misses(_ scenario: Scenario, unscripted: [String]) -> [String] {
        var misses: [String] = []
        let expected = scenario.expect.path.map(\.value)
        if expected != path {
            misses.append("path differs:\n" + Self.sideBySide(expected: expected, actual: path))
        }
        let outcome = finished?.outcome.rawValue ?? "unfinished"
        if outcome != scenario.expect.outcome.value {
            misses.append("outcome is \(outcome), expected \(scenario.expect.outcome.value)")
        }
        for id in scenario.expect.skipped ?? [] where !skipped.contains(id.value) {
            misses.append("step '\(id.value)' was expected to be skipped and was not")
        }
        for id in unscripted {
            misses.append("step '\(id)' was reached and the scenario does not script it")
        }
        return misses
    }

    /// The scorecard `runbook rehearse` prints after a scripted run.
    package func scorecard(_ scenario: Scenario, misses: [String]) -> String {
        scorecard(
            heading: "\(scenario.playbook.value) — \(scenario.file)", expected: scenario.expect.outcome.value,
            misses: misses)
    }

    /// The scorecard of a rehearsal: with `expected` nil (a tabletop drill), no expectations.
    package func scorecard(heading: String, expected: String?, misses: [String]) -> String {
        var out = "\nSCORECARD \(heading)\n"
        out += "  path: \(path.isEmpty ? "(nothing ran)" : path.joined(separator: " → "))\n"
        for decision in decisions { out += "  decision: \(decision)\n" }
        out += "  rollbacks: \(rollbacks.isEmpty ? "none" : rollbacks.joined(separator: ", "))\n"
        out +=
            "  simulated time to diagnose: \(TimeText.seconds(diagnoseMS)) · to recover: \(TimeText.seconds(recoverMS))\n"
        out += "  outcome: \(finished?.outcome.rawValue ?? "unfinished")"
        out += expected.map { " (expected \($0))\n" } ?? "\n"
        if expected == nil { return out }
        if misses.isEmpty {
            out += "  every expectation held\n"
        } else {
            for miss in misses { out += "  ✘ " + miss.replacingScalars(of: "\n", with: "\n    ") + "\n" }
        }
        return out
    }

    /// Expected and actual paths in two columns, `≠` where they differ.
    static func sideBySide(expected: [String], actual: [String]) -> String {
        let width = max(8, (expected.map(\.count).max() ?? 0))
        var lines = ["expected".padded(to: width) + "    actual"]
        for i in 0..<max(expected.count, actual.count) {
            let e = i < expected.count ? expected[i] : "-"
            let a = i < actual.count ? actual[i] : "-"
            lines.append(e.padded(to: width) + (e == a ? "    " : "  ≠ ") + a)
        }
        return lines.joined(separator: "\n")
    }
}
