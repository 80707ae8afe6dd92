import FoundationEssentials
import RunbookBasics
import RunbookDiagnostics
import RunbookExpression
import RunbookPlaybook
import RunbookProcess

/// One execution of a step's action through the effects.
extension Engine {
    func perform(_ step: Step, id: String, readonly: Bool, timeout: TimeSpan?, attempt: Int, scope: RunScope) -> Attempt
    {
        switch step.action {
        case .run(let command):
            return runCommand(
                command, step: step, id: id, readonly: readonly, timeout: timeout, attempt: attempt,
                scope: scope)
        case .assert(let text):
            if dependsOnUnknown(text, scope: scope) {
                return Attempt(result: .pending, known: false, message: notYet("assert", text, scope: scope))
            }
            do {
                let holds = try condition(text, scope: scope)
                return Attempt(
                    result: StepResult(status: holds ? .ok : .failed), known: true,
                    message: holds ? nil : "assertion is false: \(text.value)")
            } catch {
                return Attempt(result: StepResult(status: .failed), known: true, message: error.description)
            }
        case .wait(let duration):
            guard effects.sleep(duration.value) else { return Attempt(result: .pending, known: false) }
            return Attempt(result: StepResult(status: .ok, duration: duration.value.seconds), known: true)
        case .manual(let text):
            var request = ManualRequest(
                stepID: id, title: render(step.title, scope: scope), instructions: render(text, scope: scope) ?? "")
            // Step ids hold no '.', so only a rollback action's id (`ID.rollback`) does.
            if id.contains(".rollback") {
                request.ifNotDone = "records this rollback action as failed; the others still run"
            }
            switch effects.performManual(request) {
            case .done: return Attempt(result: StepResult(status: .ok), known: true)
            case .declined: return Attempt(result: StepResult(status: .failed), known: true, declined: true)
            case .notAsked: return Attempt(result: .pending, known: false)
            }
        case .choose, .group, .include:
            return Attempt(result: StepResult(status: .ok), known: true)
        }
    }

    private func runCommand(
        _ command: Command, step: Step, id: String, readonly: Bool, timeout: TimeSpan?, attempt: Int, scope: RunScope
    ) -> Attempt {
        // A value not known yet (the dry-run did not run what it comes from) is not guessed, not
        // even through default(): the command is planned, not probed.
        if readsUnknown(command, step: step, scope: scope) {
            let names = unknownNames(in: Self.texts(of: command, step: step), scope: scope)
            return Attempt(
                result: .pending, known: false, message: "not probed: it reads \(names), not known in this dry-run")
        }
        let invocation: CommandInvocation
        do {
            invocation = try prepare(
                command, step: step, id: id, readonly: readonly, timeout: timeout,
                attempt: attempt, scope: scope)
        } catch {
            return Attempt(result: StepResult(status: .failed), known: true, message: error.description)
        }
        switch effects.execute(invocation) {
        case .notRun(let reason):
            return Attempt(result: .pending, known: false, message: reason, secretTexts: invocation.secretTexts)
        case .ran(let outcome):
            var status: StepStatus = outcome.timedOut ? .timedOut : .failed
            if outcome.exitCode != nil, !outcome.timedOut { status = .ok }
            var result = StepResult(
                status: status, exitCode: outcome.exitCode.map(Int.init), stdout: outcome.stdout.text,
                stderr: outcome.stderr.text, duration: outcome.duration)
            result.stdoutTruncated = outcome.stdout.truncated
            result.stderrTruncated = outcome.stderr.truncated
            var attempt = Attempt(
                result: result, known: true, process: outcome, message: Self.failureMessage(outcome),
                interrupted: outcome.interrupted, secretTexts: invocation.secretTexts)
            // ssh's own failure (it could not connect, or lost the connection) is not the command's.
            if let host = invocation.target, outcome.exitCode == SSHTarget.connectionFailure, !outcome.timedOut {
                attempt.connectionFailed = true
                let why = outcome.stderr.text.split(separator: "\n").last.map { ": \($0)" } ?? ""
                attempt.message = "could not reach \(host.name) (ssh exit 255)\(why)"
            }
            return attempt
        }
    }

    /// True when the command's templates (or its env, cwd or shell) read a value not known yet.
    func readsUnknown(_ command: Command, step: Step, scope: RunScope) -> Bool {
        Self.texts(of: command, step: step).contains { readsUnknown($0, scope: scope) }
    }

    /// Every template a command is built from.
    private static func texts(of command: Command, step: Step) -> [SourceText] {
        var texts: [SourceText] = step.env.map(\.text) + [step.cwd, step.shell].compactMap { $0 }
        switch command {
        case .shell(let text): texts.append(text)
        case .argv(let items): texts += items
        }
        return texts
    }

    private static func failureMessage(_ outcome: ProcessOutcome) -> String? {
        if let error = outcome.startError { return "could not start: \(error)" }
        if outcome.timedOut { return "timed out" }
        if outcome.interrupted { return "interrupted" }
        if let signal = outcome.signal { return "killed by signal \(signal)" }
        return nil
    }

    /// Renders the argv, environment and directory of a command (real values, plus the masked display).
    func prepare(
        _ command: Command, step: Step, id: String, readonly: Bool, timeout: TimeSpan?, attempt: Int, scope: RunScope
    ) throws(EvaluationError) -> CommandInvocation {
        var exports: [String: String] = [:]
        var secretTexts: [String] = []
        for variable in step.env {
            let rendered = try renderArgument(variable.text, scope: scope)
            exports[variable.name.value] = rendered.real
            secretTexts += rendered.secretTexts
        }
        let argv: [String]
        let display: String
        switch command {
        case .shell(let text):
            let rendered = try renderStrict(text, mode: .shell, scope: scope)
            var shell = "/bin/sh"
            if let custom = step.shell { shell = try renderArgument(custom, scope: scope).real }
            argv = [shell, "-c", rendered.real]
            display = rendered.display
            exports.merge(rendered.variables) { _, value in value }
            secretTexts += rendered.secretTexts
        case .argv(let items):
            var real: [String] = []
            var shown: [String] = []
            for item in items {
                let rendered = try renderArgument(item, scope: scope)
                secretTexts += rendered.secretTexts
                real.append(rendered.real)
                shown.append(ShellQuoting.quoteIfNeeded(rendered.display))
            }
            argv = real
            display = shown.joined(separator: " ")
        }
        var cwd: String?
        if let dir = step.cwd { cwd = try renderArgument(dir, scope: scope).real }
        var invocation = CommandInvocation(
            stepID: id, argv: argv, display: display,
            environment: options.environment.merging(exports) { _, export in export }, workingDirectory: cwd,
            timeout: timeout, detach: step.detach, readonly: readonly, attempt: attempt,
            secrets: scope.secrets + secretTexts)
        invocation.secretTexts = secretTexts
        invocation.target = scope.target
        invocation.concurrent = scope.concurrent
        invocation.exports = exports
        invocation.notProbed =
            scope.notProbed
            ?? plannedChange.map { "not probed: it runs after '\($0)', which this dry-run does not execute" }
        return invocation
    }

    /// Renders text that becomes one argument, environment value or path of a process, which
    /// cannot hold a NUL character (the C string would end there and the value arrive cut).
    private func renderArgument(_ text: SourceText, scope: RunScope) throws(EvaluationError) -> Rendered {
        let rendered = try renderStrict(text, mode: .plain, scope: scope)
        if rendered.real.unicodeScalars.contains("\0") {
            throw .nulCharacter(in: text.value, at: text.location)
        }
        return rendered
    }
}
