import RunbookGraph

/// Checks made before the first step runs, so a run never stops half-way for a reason known in advance.
package enum Preflight {
    /// The steps a run could reach that need a person at a terminal, with the reason for each.
    ///
    /// Guards cannot be known before the run, so every step counts as reachable (SPEC §2:
    /// "a run that could reach a confirmation is refused").
    package static func stepsNeedingOperator(_ graph: StepGraph, options: RunOptions) -> [(id: String, reason: String)]
    {
        var found: [(String, String)] = []
        for node in graph.allSteps {
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
        return found
    }
}
