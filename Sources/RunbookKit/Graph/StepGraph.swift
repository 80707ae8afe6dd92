/// A checked playbook ready to run: ids resolved, defaults applied, includes expanded.
///
/// The graph is a tree in execution order (groups and `choose` options nest their
/// steps), plus a flat `order` of every step id used for "did this run before?" checks.
public struct StepGraph: Sendable {
    public var playbook: Playbook
    public var phases: [PhaseSteps]
    /// Every step id of this graph (nested included), in document order.
    public var order: [String]

    /// The steps of one phase.
    public struct PhaseSteps: Sendable {
        public var phase: Phase
        public var steps: [GraphStep]
    }

    public var id: String { playbook.id.value }

    /// All steps, depth-first in document order (choose options and includes included).
    public var allSteps: [GraphStep] {
        phases.flatMap { $0.steps.flatMap { $0.flattened() } }
    }

    public func step(_ id: String) -> GraphStep? {
        allSteps.first { $0.id == id }
    }

    public var hasSymptoms: Bool {
        phases.contains { $0.phase == .symptoms && !$0.steps.isEmpty }
    }
}

/// One compiled step: the step as written plus everything resolved about it.
public struct GraphStep: Sendable {
    /// The full id: the step's id, prefixed `INCLUDE/` inside an included playbook.
    public var id: String
    public var step: Step
    public var phase: Phase
    public var readonly: Bool
    public var onFailure: FailurePolicy
    /// Per-attempt time limit; set for `run` steps (default 10m) and where a step gives one.
    public var timeout: TimeSpan?
    /// Position in the graph's `order`.
    public var index: Int
    /// The `choose` options this step sits in, outermost first.
    public var branch: [BranchPoint]
    public var body: Body
    /// Compensation actions, known as `ID.rollback` or `ID.rollback.1`, `ID.rollback.2`, ….
    public var rollback: [RollbackAction]

    /// What the step contains besides its own action.
    public enum Body: Sendable {
        case action
        case group([GraphStep])
        case choose([CompiledOption])
        case include(IncludedPlaybook)
    }

    public var children: [GraphStep] {
        switch body {
        case .action: return []
        case .group(let steps): return steps
        case .choose(let options): return options.flatMap(\.steps)
        case .include(let included): return included.graph.phases.flatMap(\.steps)
        }
    }

    /// This step and all its descendants, depth-first.
    public func flattened() -> [GraphStep] {
        [self] + children.flatMap { $0.flattened() }
    }
}

/// A `choose` option a step sits in.
public struct BranchPoint: Sendable, Hashable {
    public var chooseStep: String
    public var option: String
}

/// A compiled `choose` option.
public struct CompiledOption: Sendable {
    public var option: Choice.Option
    public var steps: [GraphStep]
}

/// An included playbook, compiled in its own scope, with the host's bindings for its params.
public struct IncludedPlaybook: Sendable {
    public var graph: StepGraph
    public var with: [NamedText]
}

/// One compensation action of a step.
public struct RollbackAction: Sendable {
    public var id: String
    public var step: Step
}
