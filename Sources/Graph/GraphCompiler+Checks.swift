import RunbookDiagnostics
import RunbookPlaybook

/// Structural checks of single steps: keys that don't fit the step's action.
extension GraphCompiler {
    mutating func checkKeys(of step: Step, readonly: Bool) {
        let at = step.id?.location ?? step.location
        let producesResult: Bool
        switch step.actionKind {
        case .run, .assert, .manual, .wait: producesResult = true
        case .choose, .group, .include: producesResult = false
        }
        if !producesResult {
            for (name, present) in [
                ("expect", step.expect != nil), ("until", step.until != nil),
                ("outputs", !step.outputs.isEmpty), ("retry", step.retry != nil),
            ] where present {
                error("'\(name)' needs a step with its own result; '\(step.action.key)' has none", at: at)
            }
        }
        let isRun = step.actionKind == .run
        let isArgv = step.argv != nil
        if !isRun {
            for (name, present) in [
                ("detach", step.detach), ("shell", step.shell != nil),
                ("env", !step.env.isEmpty), ("cwd", step.cwd != nil),
            ] where present {
                error("'\(name)' applies to 'run' steps only", at: at)
            }
        }
        if isArgv, let shell = step.shell {
            error("'shell' applies to string commands; an argv list runs without a shell", at: shell.location)
        }
        if step.until != nil, step.retry == nil {
            diagnostics.append(
                .warning(
                    "'until' without 'retry' checks only once", at: step.until!.location,
                    hint: "add retry: {attempts: N, delay: 5s} to poll"))
        }
        if readonly, !step.rollback.isEmpty {
            diagnostics.append(
                .warning(
                    "read-only step has a rollback; it only runs if the step is marked readonly: false", at: at))
        }
    }

    private mutating func error(_ message: String, at location: SourceLocation) {
        diagnostics.append(.error(message, at: location))
    }
}
