import RunbookExpression
import RunbookGraph
import RunbookPlaybook

/// `include` steps: the other playbook's phases, inline, in a scope of their own.
extension Engine {
    /// The included playbook's scope with its params bound, or why a binding is not acceptable.
    func bindInclude(_ node: GraphStep, included: IncludedPlaybook, scope: RunScope) -> Result<RunScope, BindingError> {
        var values: [String: ParamValue?] = [:]
        var secrets = Set(included.graph.playbook.params.filter(\.secret).map(\.name))
        for param in included.graph.playbook.params { values[param.name] = .some(param.defaultValue) }
        var unknownParams: Set<String> = []
        for binding in included.with {
            guard let param = included.graph.playbook.param(named: binding.name.value) else { continue }
            // A dry-run binds what it does not know yet to a placeholder, and plans the included steps.
            if readsUnknown(binding.text, scope: scope) {
                values[param.name] = .some(nil)
                unknownParams.insert(param.name)
                continue
            }
            let rendered: Rendered
            do {
                rendered = try renderStrict(binding.text, mode: .plain, scope: scope)
            } catch {
                return .failure(BindingError(message: error.description))
            }
            guard let value = ParamValue(parsing: rendered.real, as: param.kind) else {
                return .failure(
                    BindingError(
                        message:
                            "include '\(node.id)': '\(rendered.display)' is not a valid \(param.kind.rawValue) for param '\(param.name)'"
                    ))
            }
            // A value computed from a secret stays secret inside the included playbook.
            if rendered.usesSecret { secrets.insert(param.name) }
            // The included playbook's checks (and validate's trust in them) hold however its params are bound.
            var checked = param
            checked.secret = param.secret || secrets.contains(param.name)
            if let problem = checked.problem(with: value) {
                return .failure(BindingError(message: "include '\(node.id)': param '\(param.name)' \(problem)"))
            }
            values[param.name] = value
        }
        var inner = RunScope(
            params: ResolvedParams(values: values, secretNames: secrets), environment: options.environment,
            prefix: node.id + "/", journal: scope.journal)
        inner.unknownParams = unknownParams
        inner.notProbed = scope.notProbed
        return .success(inner)
    }

    /// Runs the included playbook's phases in its own scope.
    func runInclude(_ included: IncludedPlaybook, scope inner: inout RunScope, depth: Int) -> Stop? {
        for phase in included.graph.phases {
            if let stop = runSteps(phase.steps, scope: &inner, depth: depth + 1, alternative: nil) { return stop }
        }
        return nil
    }
}

/// Why an include's `with:` binding cannot be used; the include step fails with it.
struct BindingError: Error {
    var message: String
}
