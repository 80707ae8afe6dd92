import RunbookEvents
import RunbookGraph

/// `choose` steps: which options are offered, who picks, and running the pick.
extension Engine {
    func runChoice(_ node: GraphStep, options compiled: [CompiledOption], scope: inout RunScope, depth: Int) -> Stop? {
        var available: [CompiledOption] = []
        var unavailable: [String: String] = [:]
        for option in compiled {
            guard let when = option.option.when else {
                available.append(option)
                continue
            }
            switch evaluateGuard(when, scope: scope) {
            case .failure(let error):
                return fail(node, scope: &scope, message: error.diagnostic.description, attempts: 0)
            case .success(let record) where record.state != .false: available.append(option)
            case .success(let record):
                unavailable[option.option.name.value] = record.expression + record.valuesText
            }
        }
        let names = available.map(\.option.name.value)
        let picked = pick(node, available: available, scope: scope)
        switch picked {
        case .option(let name, let by):
            emit(
                .choice(ChoiceRecord(stepID: node.id, option: name, by: by, available: names, unavailable: unavailable))
            )
            let steps = available.first { $0.option.name.value == name }?.steps ?? []
            return runSteps(steps, scope: &scope, depth: depth + 1, alternative: nil)
        case .every:
            var record = ChoiceRecord(
                stepID: node.id, option: nil, by: "plan", available: names, unavailable: unavailable)
            if case .choose(let choice) = node.step.action { record.defaultOption = choice.defaultOption?.value }
            emit(.choice(record))
            for option in available {
                let label = "option \(option.option.name.value) of \(node.id)"
                if let stop = runSteps(option.steps, scope: &scope, depth: depth + 1, alternative: label) {
                    return stop
                }
            }
            return nil
        case .undecided:
            if effects.isInterrupted { return .interrupted }
            let reason =
                available.isEmpty
                ? "no option of '\(node.id)' is available (every option's 'when' is false)"
                : "no operator to choose an option of '\(node.id)' and no default; pass --choose \(node.id)=OPTION"
            return fail(node, scope: &scope, message: reason, attempts: 0)
        }
    }

    /// `--choose` decides without asking; otherwise the effects ask (or fall back to the default).
    private func pick(_ node: GraphStep, available: [CompiledOption], scope: RunScope) -> ChoiceAnswer {
        guard !available.isEmpty else { return .undecided }
        let names = available.map(\.option.name.value)
        // A resumed run takes the option the earlier run took.
        if let history = options.resume, let taken = history.choices[node.id], names.contains(taken) {
            return .option(taken, by: "run \(history.run)")
        }
        if let forced = options.choices[node.id] ?? options.choices[scope.localID(node.id)] {
            return names.contains(forced) ? .option(forced, by: "--choose") : .undecided
        }
        guard case .choose(let choice) = node.step.action else { return .undecided }
        let fallback = choice.defaultOption.map(\.value).flatMap { names.contains($0) ? $0 : nil }
        return effects.choose(
            ChoiceRequest(
                stepID: node.id, title: render(node.step.title, scope: scope),
                options: available.map {
                    .init(name: $0.option.name.value, title: render($0.option.title, scope: scope))
                },
                defaultOption: fallback))
    }
}
