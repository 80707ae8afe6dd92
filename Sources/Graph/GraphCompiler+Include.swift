import RunbookDiagnostics
import RunbookPlaybook

/// Expansion of `include` steps: lookup, cycle detection, param bindings.
extension GraphCompiler {
    mutating func expand(_ include: Include, at step: Step) -> IncludedPlaybook? {
        let target = include.playbook
        if let start = includeStack.firstIndex(of: target.value) {
            let cycle = (includeStack[start...] + [target.value]).joined(separator: " → ")
            diagnostics.append(
                .error(
                    "include cycle: \(cycle)", at: target.location,
                    hint: "a playbook cannot include itself, directly or through others"))
            return nil
        }
        guard let resolved = resolver(target.value) else {
            diagnostics.append(
                .error(
                    "unknown playbook '\(target.value)'", at: target.location,
                    hint: Suggestion.hint(for: target.value, in: knownIDs())
                        ?? "looked in ./playbooks and $RUNBOOK_PATH"))
            return nil
        }
        guard let playbook = resolved.playbook else {
            diagnostics.append(
                .error(
                    "included playbook '\(target.value)' has errors", at: target.location,
                    hint: "run 'runbook validate \(target.value)' to see them"))
            return nil
        }
        checkBindings(include.with, for: playbook, at: target)
        // The included playbook is its own scope: its ids are prefixed and its order is its own.
        let (outerPrefix, outerOrder) = (prefix, order)
        prefix = outerPrefix + (step.id?.value ?? target.value) + "/"
        order = []
        defer { (prefix, order) = (outerPrefix, outerOrder) }
        // Includes run the other playbook's diagnosis, recovery and verify (SPEC §1.2).
        guard let graph = compile(playbook, phases: [.diagnosis, .recovery, .verify]) else { return nil }
        return IncludedPlaybook(graph: graph, with: include.with)
    }

    private mutating func checkBindings(_ bindings: [NamedText], for playbook: Playbook, at target: Located<String>) {
        let names = playbook.params.map(\.name)
        for binding in bindings where !names.contains(binding.name.value) {
            diagnostics.append(
                .error(
                    "playbook '\(playbook.id.value)' has no param '\(binding.name.value)'", at: binding.name.location,
                    hint: Suggestion.hint(for: binding.name.value, in: names)
                        ?? "its params: \(names.isEmpty ? "none" : names.joined(separator: ", "))"))
        }
        // A value written out (no template) is checked now, as `-p` values are, not when the step runs.
        for binding in bindings where !binding.text.value.contains("{{") {
            guard let param = playbook.param(named: binding.name.value) else { continue }
            guard let value = ParamValue(parsing: binding.text.value, as: param.kind) else {
                diagnostics.append(
                    .error(
                        "'\(binding.text.value)' is not a valid \(param.kind.rawValue) for param '\(param.name)' of "
                            + "'\(playbook.id.value)'",
                        at: binding.text.location, hint: param.kind.example.map { "write it as \($0)" }))
                continue
            }
            if let problem = param.problem(with: value) {
                diagnostics.append(
                    .error(
                        "param '\(param.name)' of '\(playbook.id.value)' \(problem)", at: binding.text.location))
            }
        }
        let bound = Set(bindings.map(\.name.value))
        let missing = playbook.params.filter { $0.required && $0.defaultValue == nil && $0.env == nil }
            .map(\.name).filter { !bound.contains($0) }
        if !missing.isEmpty {
            diagnostics.append(
                .error(
                    "include of '\(playbook.id.value)' does not set its required param\(missing.count > 1 ? "s" : "") "
                        + missing.map { "'\($0)'" }.joined(separator: ", "),
                    at: target.location, hint: "add them under 'with:'"))
        }
    }
}
