import RunbookBasics
import RunbookDiagnostics
import RunbookExpression
import RunbookPlaybook

/// Compiles a `Playbook` into a `StepGraph`, reporting structural problems as diagnostics.
package struct GraphCompiler {
    /// Loads included playbooks by id (the search path in the CLI, a dictionary in tests).
    package typealias Resolver = @Sendable (String) -> (playbook: Playbook?, diagnostics: [Diagnostic])?

    package static let defaultRunTimeout = TimeSpan.minutes(10)

    let resolver: Resolver
    let knownIDs: @Sendable () -> [String]
    var diagnostics: [Diagnostic] = []
    private var firstUse: [String: SourceLocation] = [:]
    var order: [String] = []
    /// Ids of the playbooks being compiled, outermost first, for include cycle detection.
    var includeStack: [String] = []
    var prefix = ""
    /// Expressions parsed so far by this compiler's thread of checking (nil: none kept).
    var parsed: ParsedExpressions?
    /// The playbook's texts being parsed on another processor while it compiles (nil: none).
    var textsAhead: TextsParsedAhead?

    package init(resolver: @escaping Resolver, knownIDs: @escaping @Sendable () -> [String] = { [] }) {
        self.resolver = resolver
        self.knownIDs = knownIDs
    }

    /// Compiles a playbook; the graph is nil when there are errors.
    /// `parseAhead`: parse a long playbook's texts on another processor while it compiles
    /// (`TextsParsedAhead`); the findings are the same either way.
    package static func compile(
        _ playbook: Playbook, resolver: @escaping Resolver, knownIDs: @escaping @Sendable () -> [String] = { [] },
        parseAhead: Bool = true
    ) -> (graph: StepGraph?, diagnostics: [Diagnostic]) {
        var compiler = GraphCompiler(resolver: resolver, knownIDs: knownIDs)
        // A long playbook's texts are parsed on another processor while it compiles on this one.
        compiler.textsAhead = parseAhead ? TextsParsedAhead.start(playbook) : nil
        let graph = compiler.compile(playbook)
        if let graph, let reads = compiler.checkExpressions(graph, nullableOutputs: true) {
            compiler.checkUnusedParams(of: playbook, reads: reads)
        }
        compiler.textsAhead?.stop()
        let all = compiler.diagnostics
        return (all.hasErrors ? nil : graph, all)
    }

    mutating func compile(_ playbook: Playbook, phases: [Phase] = Phase.allCases) -> StepGraph? {
        if includeStack.isEmpty {
            // Room for the playbook's steps at once (nested and included ones grow it).
            let count = phases.reduce(0) { $0 + playbook.steps($1).count }
            firstUse.reserveCapacity(count)
            order.reserveCapacity(count)
        }
        includeStack.append(playbook.id.value)
        defer { includeStack.removeLast() }
        var compiled: [StepGraph.PhaseSteps] = []
        for phase in phases where !playbook.steps(phase).isEmpty {
            let steps = playbook.steps(phase).map {
                compile($0, phase: phase, inherited: Inherited(phase: phase), branch: [])
            }
            compiled.append(.init(phase: phase, steps: steps))
        }
        var graph = StepGraph(playbook: playbook, phases: compiled, order: order)
        if let gameday = playbook.gameday {
            // Game-day steps share the id space so audit records stay unambiguous.
            let compile = { (step: Step) in
                self.compile(step, phase: .recovery, inherited: Inherited(phase: .recovery), branch: [])
            }
            graph.gameDayInject = gameday.inject.map(compile)
            graph.gameDayRevert = gameday.revert.map(compile)
            graph.gameDayStopIf = gameday.stopIf.map {
                self.compile($0, phase: .verify, inherited: Inherited(phase: .verify), branch: [])
            }
            graph.gameDayInterval = gameday.interval
        }
        return graph
    }

    /// Defaults a step takes from its phase and enclosing group.
    struct Inherited {
        var readonly: Bool
        var onFailure: FailurePolicy

        init(phase: Phase) {
            readonly = phase.readonlyByDefault
            onFailure = phase.defaultFailurePolicy
        }
    }

    mutating func compile(_ step: Step, phase: Phase, inherited: Inherited, branch: [BranchPoint]) -> GraphStep {
        let id = prefix + (step.id?.value ?? "")
        claim(id, at: step.id?.location ?? step.location)
        var resolved = inherited
        resolved.readonly = step.readonly?.value ?? inherited.readonly
        resolved.onFailure = step.onFailure?.value ?? inherited.onFailure
        var node = GraphStep(
            id: id, step: step, phase: phase, readonly: resolved.readonly, onFailure: resolved.onFailure,
            timeout: step.timeout?.value, index: order.count, branch: branch, body: .action, rollback: [])
        order.append(id)
        if step.actionKind == .run, node.timeout == nil { node.timeout = Self.defaultRunTimeout }
        node.rollback = rollbackActions(of: step, id: id)
        checkKeys(of: step, readonly: resolved.readonly)
        checkCommand(of: step)
        for action in step.rollback { checkCommand(of: action) }
        // Only a group, a `choose` and an include hold more (asked first: `step.action` is a copy).
        switch step.actionKind {
        case .group, .choose, .include: break
        case .run, .manual, .wait, .assert: return node
        }
        switch step.action {
        case .group(let steps):
            node.body = .group(steps.map { compile($0, phase: phase, inherited: resolved, branch: branch) })
        case .choose(let choice):
            node.body = .choose(
                choice.options.map { option in
                    let here = branch + [BranchPoint(chooseStep: id, option: option.name.value)]
                    return CompiledOption(
                        option: option,
                        steps: option.steps.map { compile($0, phase: phase, inherited: resolved, branch: here) })
                })
        case .include(let include):
            if let included = expand(include, at: step) { node.body = .include(included) }
        default: break
        }
        return node
    }

    private mutating func rollbackActions(of step: Step, id: String) -> [RollbackAction] {
        let single = step.rollback.count == 1
        return step.rollback.enumerated().map { i, action in
            RollbackAction(id: single ? "\(id).rollback" : "\(id).rollback.\(i + 1)", step: action)
        }
    }

    /// Ids are unique across the whole playbook, nested and game-day steps included.
    private mutating func claim(_ id: String, at location: SourceLocation) {
        if let first = firstUse[id] {
            let place = first.file == location.file ? "line \(first.line)" : "\(first)"
            diagnostics.append(
                .error(
                    "duplicate step id '\(id)' (first used at \(place))", at: location,
                    hint: "step ids must be unique in the whole playbook, nested steps included"))
        } else {
            firstUse[id] = location
        }
    }
}
