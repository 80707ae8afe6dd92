import RunbookDiagnostics
import RunbookExpression
import RunbookGraph
import RunbookPlaybook

/// Checks made before the first step runs, so a run never stops half-way for a reason known in advance.
package enum Preflight {
    /// The steps this run can still reach that need a person at a terminal, with the reason for each.
    ///
    /// Guards that read step results cannot be known before the run, so such steps count as
    /// reachable (SPEC §2: "a run that could reach a confirmation is refused"). What is known
    /// is used: a guard that reads only params and the environment and is false, a `choose`
    /// option that `--choose` (or, without a terminal, the default) leaves out, or whose own
    /// `when` is false, cannot be reached and needs no operator.
    package static func stepsNeedingOperator(
        _ graph: StepGraph, params: ResolvedParams, options: RunOptions
    ) -> [(id: String, reason: String)] {
        var walk = Walk(scope: RunScope(params: params, environment: options.environment, prefix: "").expressions)
        for phase in graph.phases {
            for node in phase.steps { walk.visit(node, options: options, knownParams: true) }
        }
        return walk.found
    }

    /// Hosts and groups that `on:` names and the inventory does not have, a playbook with `on:`
    /// and no inventory, and `--limit` names that are neither host nor group: each would stop the
    /// run half-way, or send a step to no host.
    /// A triage runs the symptoms alone, so only their `on:` is checked there.
    package static func targetProblems(_ graph: StepGraph, options: RunOptions) -> [Diagnostic] {
        var found: [Diagnostic] = []
        let steps = graph.allSteps.filter {
            $0.step.on != nil && (options.mode != .triage || $0.phase == .symptoms)
        }
        guard let inventory = options.inventory else {
            if let first = steps.first, let on = first.step.on {
                found.append(
                    .error(
                        "step '\(first.id)' runs on \(on.text), but no inventory is given", at: on.location,
                        hint: "pass --inventory FILE, or name it in the playbook: inventory: hosts.yaml"))
            }
            if options.limit != nil {
                found.append(
                    .error(
                        "--limit needs an inventory", at: .file("command line"),
                        hint: "pass --inventory FILE, or name it in the playbook: inventory: hosts.yaml"))
            }
            return found
        }
        for node in steps {
            guard case .names(let names)? = node.step.on else { continue }
            for name in names where inventory.resolve(name.value) == nil {
                found.append(
                    .error(
                        "'\(name.value)' is not a host or group of \(inventory.file)", at: name.location,
                        hint: inventory.hint(for: name.value)))
            }
        }
        for name in options.limit ?? [] where inventory.resolve(name) == nil {
            found.append(
                .error(
                    "--limit \(name): not a host or group of \(inventory.file)", at: .file("command line"),
                    hint: inventory.hint(for: name)))
        }
        return found
    }

    /// `--choose STEP=OPTION` pairs that name no `choose` step, or no option of it: a typo
    /// would otherwise be ignored, or stop the run half-way.
    package static func unknownChoices(_ graph: StepGraph, options: RunOptions) -> [Diagnostic] {
        var chooseSteps: [String: [String]] = [:]
        for node in graph.allSteps {
            guard case .choose(let choice) = node.step.action else { continue }
            let names = choice.options.map(\.name.value)
            chooseSteps[node.id] = names
            chooseSteps[node.id.split(separator: "/").last.map(String.init) ?? node.id] = names
        }
        var found: [Diagnostic] = []
        for (step, option) in options.choices.sorted(by: { $0.key < $1.key }) {
            guard let names = chooseSteps[step] else {
                let hint =
                    Suggestion.hint(for: step, in: chooseSteps.keys)
                    ?? (chooseSteps.isEmpty
                        ? "this playbook has no choose step"
                        : "choose steps: \(chooseSteps.keys.sorted().joined(separator: ", "))")
                found.append(
                    .error(
                        "--choose \(step)=\(option): no choose step '\(step)'", at: .file(graph.playbook.file),
                        hint: hint))
                continue
            }
            if !names.contains(option) {
                found.append(
                    .error(
                        "--choose \(step)=\(option): '\(step)' has no option '\(option)'",
                        at: .file(graph.playbook.file),
                        hint: Suggestion.hint(for: option, in: names) ?? "options: \(names.joined(separator: ", "))"))
            }
        }
        return found
    }

    private struct Walk {
        let scope: ExpressionScope
        var found: [(id: String, reason: String)] = []

        /// `knownParams`: false inside an included playbook, whose params are bound at run time.
        mutating func visit(_ node: GraphStep, options: RunOptions, knownParams: Bool) {
            if knownParams, isFalse(node.step.when) { return }
            check(node, options: options)
            switch node.body {
            case .action: break
            case .group(let steps):
                for step in steps { visit(step, options: options, knownParams: knownParams) }
            case .choose(let compiled):
                for option in reachable(compiled, of: node, options: options, knownParams: knownParams) {
                    for step in option.steps { visit(step, options: options, knownParams: knownParams) }
                }
            case .include(let included):
                for step in included.graph.phases.flatMap(\.steps) {
                    visit(step, options: options, knownParams: false)
                }
            }
        }

        private mutating func check(_ node: GraphStep, options: RunOptions) {
            if case .manual = node.step.action { found.append((node.id, "is a manual step")) }
            if node.step.confirm != nil, !options.assumeYes { found.append((node.id, "asks for confirmation")) }
            if options.stepMode, !options.assumeYes, !node.readonly, case .action = node.body {
                found.append((node.id, "is confirmed under --step"))
            }
            if case .choose(let choice) = node.step.action, choice.defaultOption == nil, options.choices[node.id] == nil
            {
                found.append((node.id, "has no default option (pass --choose \(node.id)=OPTION)"))
            }
            for action in node.rollback {
                if case .manual = action.step.action { found.append((action.id, "is a manual rollback action")) }
            }
        }

        /// The options a run without a terminal can take: the one `--choose` names, else the
        /// default; every option whose `when` is not known to be false when there is neither.
        private func reachable(
            _ compiled: [CompiledOption], of node: GraphStep, options: RunOptions, knownParams: Bool
        ) -> [CompiledOption] {
            let open = compiled.filter { !(knownParams && isFalse($0.option.when)) }
            guard case .choose(let choice) = node.step.action else { return open }
            if let picked = options.choices[node.id] ?? choice.defaultOption?.value {
                return open.filter { $0.option.name.value == picked }
            }
            return open
        }

        /// True only for a guard that reads nothing but params and the environment and is false.
        private func isFalse(_ guardText: SourceText?) -> Bool {
            guard let guardText, let expression = try? Expression(parsing: guardText) else { return false }
            guard expression.root.references.allSatisfy({ $0.step == nil && !$0.isOwn }) else { return false }
            return (try? expression.evaluateCondition(in: scope)) == false
        }
    }
}
