extension CheckPass {
    /// The type of a name that reads from the run, reporting unknown or unreachable names.
    mutating func type(of reference: Reference) -> ValueType {
        switch reference {
        case .param(let name):
            guard let type = context.params[name.text] else {
                report(
                    "unknown param '\(name.text)'", at: name.offset,
                    hint: NameSuggestion.hint(for: name.text, in: context.params.keys, kind: "params")
                        ?? "declare it under params:")
                return .any
            }
            return type
        case .env:
            return .string
        case .stepField(let step, let field):
            guard Reference.stepFields.contains(field.text) else {
                checkStep(step, field: field.text)
                let hint =
                    NameSuggestion.closest(to: field.text, in: Reference.stepFields + ["outputs"])
                    .map { "did you mean '\($0)'?" }
                    ?? "fields: \(Reference.stepFields.joined(separator: ", ")), outputs.NAME"
                report("unknown field '\(field.text)' of step '\(step.text)'", at: field.offset, hint: hint)
                return .any
            }
            checkStep(step, field: field.text)
            return Self.fieldType(field.text)
        case .stepOutput(let step, let output):
            if checkStep(step, field: "outputs") { checkOutput(step, output) }
            return .any
        case .own(let name):
            if !context.ownResult {
                report(
                    "'\(name.text)' is only available in a step's own expect, until and outputs", at: name.offset,
                    hint: "refer to another step's result as steps.ID.\(name.text)")
            }
            return Self.fieldType(name.text)
        case .ownOutput(let name):
            guard context.ownOutputs, let step = context.currentStep else {
                report(
                    "'outputs.\(name.text)' is only available in a step's own expect and until", at: name.offset,
                    hint: context.ownResult
                        ? "an output cannot read another output; compute it from stdout, stderr or exit_code"
                        : "refer to a step's outputs as steps.ID.outputs.\(name.text)")
                return .any
            }
            checkOutput(Expr.Name(step, at: name.offset), name)
            return .any
        case .loop(let name):
            guard context.loop else {
                report(
                    "'\(name.text)' is only available in a step with foreach", at: name.offset,
                    hint:
                        "add foreach: LIST to the step (its when: is decided once, before any item, and cannot read it)"
                )
                return .any
            }
            return name.text == "index" ? .number : .any
        }
    }

    static func fieldType(_ field: String) -> ValueType {
        switch field {
        case "status", "stdout", "stderr": return .string
        case "ok", "stdout_truncated", "stderr_truncated": return .bool
        case "exit_code", "duration": return .number
        default: return .any
        }
    }

    /// Reports an unknown or unreachable step; true when the step exists.
    @discardableResult
    mutating func checkStep(_ step: Expr.Name, field: String) -> Bool {
        guard let visibility = context.steps[step.text] else {
            report(
                "unknown step '\(step.text)'", at: step.offset,
                hint: NameSuggestion.hint(for: step.text, in: context.steps.ids, kind: "steps"))
            return false
        }
        switch visibility {
        case .before:
            break
        case .notBefore:
            let isSelf = step.text == context.currentStep
            report(
                isSelf
                    ? "step '\(step.text)' refers to its own result through steps.\(step.text)"
                    : "step '\(step.text)' does not run before this point, so its result is not available here",
                at: step.offset,
                hint: isSelf
                    ? "use the bare names exit_code, stdout, stderr or duration in the step's own expect, until and outputs"
                    : "refer only to steps that come earlier, or move this check after '\(step.text)'")
        case .afterRolledBack:
            if field != "status" && field != "ok" {
                report(
                    "step '\(step.text)' comes after the step this rollback undoes; a rollback may read only whether it ran",
                    at: step.offset,
                    hint:
                        "read steps.\(step.text).status or steps.\(step.text).ok (\"pending\" and false when it did not run)"
                )
            }
        case .otherBranch:
            // Asking for status or ok is how one checks whether such a step ran, so that is not warned about.
            if field != "status" && field != "ok" {
                report(
                    "step '\(step.text)' is in another option of a choose and may not have run here",
                    at: step.offset,
                    hint: "check steps.\(step.text).ok first, or use default(steps.\(step.text).\(field), fallback)",
                    severity: .warning)
            }
        }
        return true
    }

    private mutating func checkOutput(_ step: Expr.Name, _ output: Expr.Name) {
        guard let declared = context.stepOutputs[step.text], !declared.contains(output.text) else { return }
        if declared.isEmpty {
            report(
                "step '\(step.text)' declares no outputs", at: output.offset,
                hint: "add outputs: {\(output.text): EXPR} to step '\(step.text)'")
        } else {
            report(
                "step '\(step.text)' has no output '\(output.text)'", at: output.offset,
                hint: NameSuggestion.hint(for: output.text, in: declared, kind: "outputs"))
        }
    }
}
