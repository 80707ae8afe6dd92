import RunbookBasics
import RunbookExpression
import RunbookPlaybook

/// Static checking of every expression and template against the params and the steps that can have run.
extension GraphCompiler {
    /// Checks every expression and template of the graph (and of the playbooks it includes), and
    /// returns the params this playbook's own texts read (each part of the check stops gathering
    /// them once every declared param is among them); nil when some text could not be parsed,
    /// since then nobody can tell what it reads. With `nullableOutputs`, each step's guards are
    /// also checked for outputs that may be null (`checkNullableOutputs`), in the same pass.
    @discardableResult
    mutating func checkExpressions(_ graph: StepGraph, nullableOutputs: Bool = false) -> Set<String>? {
        var reads: Set<String>? = []
        let steps = Self.ownSteps(graph)
        let namesOutputs = nullableOutputs && steps.contains { !Self.outputGuards(of: $0).isEmpty }
        let mayFail = namesOutputs ? Self.stepsThatMayNotSucceed(graph) : nil
        let params = Dictionary(uniqueKeysWithValues: graph.playbook.params.map { ($0.name, $0.kind.valueType) })
        let (outputs, positions) = Self.outputsAndPositions(of: steps)
        let plainWordParams = Set(graph.playbook.params.filter(\.admitsOnlyPlainWords).map(\.name))
        // Each step is checked on its own, so a long playbook's steps are checked on every
        // processor at once; the findings are joined in step order.
        // The helper parsing ahead (`TextsParsedAhead`) had the processor compiling left idle;
        // from here on every processor checks.
        textsAhead?.stop()
        let snapshot = self
        var shared = ExpressionContext(
            params: params, steps: StepVisibilities(positions: positions, site: nil), stepOutputs: outputs)
        shared.plainWordParams = plainWordParams
        let parts = Parallel.map(Parallel.ranges(steps.count, minimum: 64)) { [shared] part in
            var compiler = snapshot
            compiler.diagnostics = []
            // Each part parses a repeated expression once (`params.service` in every command).
            compiler.parsed = ParsedExpressions()
            // Each part copies a context of its own (`ExpressionContext.rehomed()`).
            let partContext = shared.rehomed()
            var reads: Set<String>? = []
            // Once every declared param is known to be read, what a text reads no longer matters
            // (only whether it parses), and its names are not gathered.
            var readsAll = params.isEmpty
            for index in part.indices {
                let node = steps[index]
                var base = partContext
                base.steps.site = Self.position(of: node)
                base.currentStep = Self.localID(node.id)
                base.loop = node.step.isFanOut
                compiler.checkExpressions(
                    of: node, in: base, parsedAhead: compiler.textsAhead?.take(index, step: node.step), reads: &reads,
                    names: !readsAll)
                if !readsAll { readsAll = reads.map { read in params.keys.allSatisfy(read.contains) } ?? true }
                if let mayFail { compiler.checkNullableOutputs(inGuardsOf: node, mayFail: mayFail) }
            }
            return (diagnostics: compiler.diagnostics, reads: reads)
        }
        for part in parts {
            diagnostics += part.diagnostics
            Self.note(part.reads, in: &reads)
        }
        checkGameDay(graph.playbook, params: params, reads: &reads)
        return reads
    }

    /// Checks one step's expressions and templates, its rollback's, and an included playbook's;
    /// with `parsedAhead`, the step's sites and their parses (`TextsParsedAhead`).
    private mutating func checkExpressions(
        of node: GraphStep, in base: ExpressionContext, parsedAhead: TextsParsedAhead.StepTexts? = nil,
        reads: inout Set<String>?, names: Bool = true
    ) {
        let sites = parsedAhead?.sites ?? ExpressionSite.sites(of: node.step)
        for (n, site) in sites.enumerated() {
            Self.note(check(site, in: base, parse: parsedAhead?.parses[n], names: names), in: &reads)
        }
        checkArgv(of: node.step, in: base)
        // A rollback runs only after its step completed, so the step's own results are readable,
        // and after later steps may have run: whether they did is readable too.
        var rollbackContext = base
        rollbackContext.steps.includingSelf = true
        rollbackContext.steps.atRollback = true
        let rollbackSites = parsedAhead?.rollbackSites ?? node.step.rollback.flatMap(ExpressionSite.sites(of:))
        for (n, var site) in rollbackSites.enumerated() {
            // A rollback action runs for one item, its guard included.
            site.perItem = true
            Self.note(
                check(site, in: rollbackContext, parse: parsedAhead?.parses[sites.count + n], names: names), in: &reads)
        }
        // An included playbook is its own scope: its params are its own, bound by `with:`.
        if case .include(let included) = node.body { checkExpressions(included.graph) }
    }

    /// Each step's declared outputs (the last step of an id wins) and where it sits (the first
    /// wins), by the id expressions use. Both built in one pass, with room for every step at
    /// once: this runs on one processor before the parallel check, and growing the tables was a
    /// tenth of that.
    private static func outputsAndPositions(of steps: [GraphStep])
        -> (outputs: [String: Set<String>], positions: [String: StepVisibilities.Position])
    {
        var outputs: [String: Set<String>] = [:]
        var positions: [String: StepVisibilities.Position] = [:]
        outputs.reserveCapacity(steps.count)
        positions.reserveCapacity(steps.count)
        for node in steps {
            let id = localID(node.id)
            outputs[id] = Set(node.step.outputs.map(\.name.value))
            if positions[id] == nil { positions[id] = position(of: node) }
        }
        return (outputs, positions)
    }

    /// A param that no expression or template reads is a leftover, or the target of a misspelt
    /// reference. A secret param read from `env:` is the exception: declaring it is how a playbook
    /// has that variable's value masked in captured output and the audit trail, read or not.
    mutating func checkUnusedParams(of playbook: Playbook, reads: Set<String>) {
        for param in playbook.params where !reads.contains(param.name) && !(param.secret && param.env != nil) {
            diagnostics.append(
                .warning(
                    "param '\(param.name)' is never used", at: param.location,
                    hint:
                        "no expression or template reads params.\(param.name); use it, e.g. {{ params.\(param.name) }} in a command, or remove it"
                ))
        }
    }

    private static func note<Names: Sequence<String>>(_ names: Names?, in reads: inout Set<String>?) {
        if let names { reads?.formUnion(names) } else { reads = nil }
    }

    private mutating func checkGameDay(_ playbook: Playbook, params: [String: ValueType], reads: inout Set<String>?) {
        guard let gameday = playbook.gameday else { return }
        var context = ExpressionContext(params: params)
        context.plainWordParams = Set(playbook.params.filter(\.admitsOnlyPlainWords).map(\.name))
        for step in gameday.inject + gameday.revert + gameday.stopIf {
            for site in ExpressionSite.sites(of: step) + step.rollback.flatMap(ExpressionSite.sites(of:)) {
                Self.note(check(site, in: context), in: &reads)
            }
            checkArgv(of: step, in: context)
        }
    }

    /// Checks the argv items of `step` and of its rollback actions (asked in place: joining them
    /// into one list copied every step).
    private mutating func checkArgv(of step: Step, in context: ExpressionContext) {
        if let items = step.argv { diagnostics += ExpressionChecker(context: context).check(argv: items) }
        for action in step.rollback {
            if let items = action.argv { diagnostics += ExpressionChecker(context: context).check(argv: items) }
        }
    }

    /// Checks one site, parsed already when `parse` is given; returns the params it reads (none
    /// gathered unless `names`), or nil when it does not parse.
    private mutating func check(
        _ site: ExpressionSite, in base: ExpressionContext, parse: ExpressionSite.Parse? = nil, names: Bool = true
    ) -> [String]? {
        var context = base
        context.ownResult = site.ownResult
        context.ownOutputs = site.ownOutputs
        context.loop = base.loop && site.perItem
        // Moved into the checker, not copied (a copy counts a reference to each of its tables).
        let checker = ExpressionChecker(context: consume context)
        switch parse ?? site.parse(parsed) {
        case .expression(let expression):
            let usage: ExpressionChecker.Usage =
                switch site.kind {
                case .condition: .condition
                case .list: .list
                default: .value
                }
            let found = checker.check(expression, as: usage)
            if !found.isEmpty { diagnostics += found }
            return names ? expression.paramNames : []
        case .template(let template):
            let found = checker.check(template)
            if !found.isEmpty { diagnostics += found }
            return names ? template.paramNames : []
        case .failed(let error):
            diagnostics.append(error)
            return nil
        }
    }

    /// Where a step sits, for visibility (SPEC §1.3: only steps that can have run before).
    private static func position(of node: GraphStep) -> StepVisibilities.Position {
        StepVisibilities.Position(
            index: node.index, branch: node.branch.map { .init(choose: $0.chooseStep, option: $0.option) })
    }

    /// The steps of this graph, not descending into included playbooks (they are their own scope).
    static func ownSteps(_ graph: StepGraph) -> [GraphStep] {
        // One list, appended in place: concatenating a list per level copied every step per level.
        var steps: [GraphStep] = []
        func walk(_ node: GraphStep) {
            steps.append(node)
            if case .include = node.body { return }
            for child in node.children { walk(child) }
        }
        for phase in graph.phases {
            for step in phase.steps { walk(step) }
        }
        return steps
    }

    /// The id an expression uses for a step: its own id, without an include prefix.
    static func localID(_ fullID: String) -> String {
        let last = fullID.afterLastSlash
        return last.isEmpty ? fullID.split(separator: "/").last.map(String.init) ?? fullID : String(last)
    }
}

extension Param.Kind {
    /// What expressions see: int, number and duration (in seconds) are numbers.
    var valueType: ValueType {
        switch self {
        case .string: return .string
        case .int, .number, .duration: return .number
        case .bool: return .bool
        case .list: return .list
        }
    }
}
