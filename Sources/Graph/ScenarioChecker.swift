import RunbookDiagnostics
import RunbookPlaybook

/// Checks a scenario against the compiled playbook before anything is rehearsed: every step
/// id it names exists, options are options, answers go to steps that ask, and every
/// confirmation the rehearsal can reach is answered.
package enum ScenarioChecker {
    package static func check(_ scenario: Scenario, against graph: StepGraph) -> [Diagnostic] {
        var findings: [Diagnostic] = []
        let nodes = graph.allSteps
        var ids = Set(nodes.map(\.id))
        for node in nodes {
            for action in node.rollback { ids.insert(action.id) }
        }
        // The runs of a fan-out are scripted by item: `ID[0]`, `ID[1].rollback`.
        let fanOuts = Set(nodes.filter { $0.step.isFanOut }.map(\.id))
        func known(_ id: Located<String>, _ what: String) -> Bool {
            guard !ids.contains(id.value) else { return true }
            if let (step, rest) = GraphStep.itemParts(of: id.value), fanOuts.contains(step), ids.contains(step + rest) {
                return true
            }
            findings.append(
                .error(
                    "\(what) '\(id.value)' is not a step of playbook '\(graph.id)'", at: id.location,
                    hint: Suggestion.hint(for: id.value, in: ids) ?? "step ids are listed by 'runbook show \(graph.id)'"
                ))
            return false
        }
        for (id, outcome) in scenario.steps where known(id, "scripted step") {
            guard let node = nodes.first(where: { $0.id == id.value }) else { continue }
            if let option = outcome.option { check(option, of: node, into: &findings) }
            if let recorded = outcome.definition, recorded.value != node.step.definitionDigest {
                findings.append(
                    .error(
                        "the scenario is stale: step '\(id.value)' has changed since the run was recorded",
                        at: recorded.location,
                        hint: "record the scenario again ('runbook audit scenario RUN_ID'), or check the step's "
                            + "script still fits and remove its 'definition'"))
            }
            if let answer = outcome.answer, !asks(node) {
                findings.append(
                    .error(
                        "step '\(id.value)' asks nothing, so it takes no answer", at: answer.location,
                        hint: "an answer goes to a step with 'confirm' or a manual step"))
            }
        }
        for id in scenario.expect.path + (scenario.expect.skipped ?? []) { _ = known(id, "step") }
        // A fan-out that asks before each item is answered item by item (`ID[N]: {answer: …}`).
        let asksPerItem = { (node: GraphStep) in
            node.step.confirm?.each == true && node.step.isFanOut
        }
        for node in nodes where asks(node) && !asksPerItem(node) && reachable(node, scenario: scenario, graph: graph) {
            if scenario.outcome(of: node.id)?.answer == nil {
                findings.append(
                    .error(
                        "step '\(node.id)' asks the operator, and the scenario does not answer it",
                        at: scenario.location,
                        hint: "add under steps: \(node.id): {answer: yes} (or no, or the typed phrase)"))
            }
        }
        return findings
    }

    private static func check(_ option: Located<String>, of node: GraphStep, into findings: inout [Diagnostic]) {
        guard case .choose(let choice) = node.step.action else {
            findings.append(
                .error("step '\(node.id)' is not a choose step, so it takes no option", at: option.location))
            return
        }
        let names = choice.options.map(\.name.value)
        if !names.contains(option.value) {
            findings.append(
                .error(
                    "'\(node.id)' has no option '\(option.value)'", at: option.location,
                    hint: Suggestion.hint(for: option.value, in: names) ?? "options: \(names.joined(separator: ", "))"))
        }
    }

    private static func asks(_ node: GraphStep) -> Bool {
        if node.step.confirm != nil { return true }
        if case .manual = node.step.action { return true }
        return false
    }

    /// A step inside a `choose` option is reachable only when that option is the one the
    /// scenario picks (or, when it picks none, the default).
    private static func reachable(_ node: GraphStep, scenario: Scenario, graph: StepGraph) -> Bool {
        // A step of an included playbook is reachable only where its include step is.
        if let slash = node.id.lastIndex(of: "/"), let include = graph.step(String(node.id[..<slash])),
            !reachable(include, scenario: scenario, graph: graph)
        {
            return false
        }
        return node.branch.allSatisfy { point in
            let picked =
                scenario.outcome(of: point.chooseStep)?.option?.value
                ?? graph.step(point.chooseStep).flatMap { step -> String? in
                    if case .choose(let choice) = step.step.action { return choice.defaultOption?.value }
                    return nil
                }
            return picked == nil || picked == point.option
        }
    }
}
