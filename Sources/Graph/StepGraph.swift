import RunbookBasics
import RunbookPlaybook

/// A checked playbook ready to run: ids resolved, defaults applied, includes expanded.
///
/// The graph is a tree in execution order (groups and `choose` options nest their
/// steps), plus a flat `order` of every step id used for "did this run before?" checks.
package struct StepGraph: Sendable {
    package var playbook: Playbook
    package var phases: [PhaseSteps]
    /// Every step id of this graph (nested included), in document order.
    package var order: [String]
    /// `gameday.inject` and `gameday.revert`, compiled like recovery steps.
    package var gameDayInject: [GraphStep] = []
    package var gameDayRevert: [GraphStep] = []
    /// `gameday.stop_if` probes, read-only, and how often they are checked.
    package var gameDayStopIf: [GraphStep] = []
    package var gameDayInterval: TimeSpan?

    /// The steps of one phase.
    package struct PhaseSteps: Sendable {
        package var phase: Phase
        package var steps: [GraphStep]
    }

    package var id: String { playbook.id.value }

    /// All steps, depth-first in document order (choose options and includes included).
    package var allSteps: [GraphStep] {
        phases.flatMap { $0.steps.flatMap { $0.flattened() } }
    }

    package func step(_ id: String) -> GraphStep? {
        allSteps.first { $0.id == id }
    }

    package var hasSymptoms: Bool {
        phases.contains { $0.phase == .symptoms && !$0.steps.isEmpty }
    }
}

/// One compiled step: the step as written plus everything resolved about it.
package struct GraphStep: Sendable {
    /// The full id: the step's id, prefixed `INCLUDE/` inside an included playbook.
    package var id: String
    package var step: Step
    package var phase: Phase
    package var readonly: Bool
    package var onFailure: FailurePolicy
    /// Per-attempt time limit; set for `run` steps (default 10m) and where a step gives one.
    package var timeout: TimeSpan?
    /// Position in the graph's `order`.
    package var index: Int
    /// The `choose` options this step sits in, outermost first.
    package var branch: [BranchPoint]
    package var body: Body
    /// Compensation actions, known as `ID.rollback` or `ID.rollback.1`, `ID.rollback.2`, ….
    package var rollback: [RollbackAction]

    /// What the step contains besides its own action.
    package enum Body: Sendable {
        case action
        case group([GraphStep])
        case choose([CompiledOption])
        indirect case include(IncludedPlaybook)
    }

    package var children: [GraphStep] {
        switch body {
        case .action: return []
        case .group(let steps): return steps
        case .choose(let options): return options.flatMap(\.steps)
        case .include(let included): return included.graph.phases.flatMap(\.steps)
        }
    }

    /// The id of this step's run for the item at `index` (`foreach`, `on:`): `ID[index]`.
    package func itemID(_ index: Int) -> String { "\(id)[\(index)]" }

    /// `restart[2].rollback` as (`restart`, `.rollback`): the step an item run belongs to and
    /// what follows the index; nil for an id that names no item run.
    package static func itemParts(of id: String) -> (step: String, rest: String)? {
        guard let open = id.lastIndex(of: "["), let close = id[open...].firstIndex(of: "]"),
            Int(id[id.index(after: open)..<close]) != nil
        else { return nil }
        return (String(id[..<open]), String(id[id.index(after: close)...]))
    }

    /// This step and all its descendants, depth-first.
    package func flattened() -> [GraphStep] {
        [self] + children.flatMap { $0.flattened() }
    }
}

/// A `choose` option a step sits in.
package struct BranchPoint: Sendable, Hashable {
    package var chooseStep: String
    package var option: String
}

/// A compiled `choose` option.
package struct CompiledOption: Sendable {
    package var option: Choice.Option
    package var steps: [GraphStep]
}

/// An included playbook, compiled in its own scope, with the host's bindings for its params.
package struct IncludedPlaybook: Sendable {
    package var graph: StepGraph
    package var with: [NamedText]
}

/// One compensation action of a step.
package struct RollbackAction: Sendable {
    package var id: String
    package var step: Step

    package init(id: String, step: Step) {
        self.id = id
        self.step = step
    }
}
