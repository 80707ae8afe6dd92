import FoundationEssentials
import RunbookBasics
import RunbookDiagnostics
import RunbookEvents
import RunbookExpression
import RunbookGraph
import RunbookPlaybook
import RunbookProcess

/// Attempts of an action: retry with delay and backoff, `until`, `expect`, `outputs`.
extension Engine {
    /// The result of one attempt, before the step's criteria are applied.
    struct Attempt {
        var result: StepResult
        /// Nil when this mode executed nothing (dry-run): the result is unknown.
        var known: Bool
        var process: ProcessOutcome?
        var message: String?
        var declined = false
        var interrupted = false
        /// ssh could not reach the host: `retry: {on: connection}` retries only these.
        var connectionFailed = false
        /// Outputs computed from a secret.
        var secretOutputs: Set<String> = []
        /// Texts computed from a secret that the command received (`{{ upper(params.pw) }}`).
        var secretTexts: [String] = []
        /// The command or its environment held a secret, so what it printed is secret too.
        var usedSecret: Bool { !secretTexts.isEmpty }
    }

    func runAttempts(_ node: GraphStep, start: StepStarted, scope: inout RunScope) -> Stop? {
        conclude(node, attempts(node, start: start, scope: scope), scope: &scope)
    }

    /// What a step's attempts came to.
    struct Attempts: @unchecked Sendable {
        var last: Attempt
        var succeeded: Bool
        var count: Int
    }

    /// A step's attempts, each announced by a `step.start`, without recording the outcome: the
    /// part of a step an item of a `parallel:` fan-out runs on a thread of its own.
    func attempts(_ node: GraphStep, start: StepStarted, scope: RunScope) -> Attempts {
        let timeout = [node.timeout, options.timeoutCap].compactMap { $0 }.min { $0.milliseconds < $1.milliseconds }
        let outcome = attempt(node.step, id: node.id, readonly: node.readonly, timeout: timeout, scope: scope) {
            var started = start
            started.attempt = $0
            emit(.stepStarted(started))
        }
        return Attempts(last: outcome.last, succeeded: outcome.succeeded, count: outcome.count)
    }

    /// Records the attempts' outcome, says how the step ended, and what the run does next.
    func conclude(_ node: GraphStep, _ attempts: Attempts, scope: inout RunScope) -> Stop? {
        conclude(node, attempts.last, succeeded: attempts.succeeded, attempts: attempts.count, scope: &scope)
    }

    /// Attempts an action until `until`/`expect` hold or its retries run out (steps and rollback actions alike).
    func attempt(
        _ step: Step, id: String, readonly: Bool, timeout: TimeSpan?, scope: RunScope, before: (Int) -> Void
    ) -> (last: Attempt, succeeded: Bool, count: Int) {
        let retry = step.retry
        let attempts = retry?.attempts ?? (retry?.within == nil ? 1 : Int.max)
        let deadline = retry?.within.map { effects.now().addingTimeInterval($0.seconds) }
        var delay = retry?.delay.milliseconds ?? 0
        var last = Attempt(result: .pending, known: false)
        var succeeded = false
        var count = 0
        while count < attempts {
            count += 1
            before(count)
            let bound = Self.timeout(timeout, until: deadline, now: effects.now())
            last = perform(step, id: id, readonly: readonly, timeout: bound, attempt: count, scope: scope)
            if !last.known || last.declined || last.interrupted { break }
            succeeded = judge(step, &last, scope: scope)
            if succeeded || !last.known || count == attempts { break }
            if retry?.onlyConnection == true, !last.connectionFailed { break }
            if let deadline, let within = retry?.within,
                effects.now().addingTimeInterval(Double(delay) / 1000) >= deadline
            {
                // No attempt starts after the window: the step fails with its last reason.
                last.message = (last.message ?? "still failing") + " (retry window of \(within) ended)"
                break
            }
            effects.sleep(TimeSpan(milliseconds: delay))
            delay = Int64((Double(delay) * (retry?.backoff ?? 1)).rounded())
            if effects.isInterrupted {
                last.interrupted = true
                break
            }
        }
        return (last, succeeded, count)
    }

    /// An attempt's timeout, cut to what is left of the retry window.
    private static func timeout(_ timeout: TimeSpan?, until deadline: Date?, now: Date) -> TimeSpan? {
        guard let deadline else { return timeout }
        let left = TimeSpan(milliseconds: max(1, Int64((deadline.timeIntervalSince(now) * 1000).rounded())))
        guard let timeout else { return left }
        return timeout.milliseconds <= left.milliseconds ? timeout : left
    }

    /// Computes `outputs`, then applies `until` and `expect` (which may read them) to an attempt;
    /// true when the step succeeded.
    ///
    /// Outputs are computed from every attempt that produced a result, failed or not, so a
    /// failed step still tells what it saw; an output that cannot be evaluated is null, and
    /// fails a step that otherwise succeeded.
    private func judge(_ step: Step, _ attempt: inout Attempt, scope: RunScope) -> Bool {
        // An action that failed by itself (a false assertion, a command that could not be
        // prepared) stays failed: there is no process result for expect to overrule.
        if attempt.result.status == .failed, attempt.process == nil, attempt.known { return false }
        var own = scope
        own.expressions.own = attempt.result
        own.expressions.ownIsSecret = attempt.usedSecret
        // A check that reads a step this dry-run did not run cannot be judged yet (its `ok` would
        // read false, its output null): the step stays planned, and the plan says why.
        let checks: [(name: String, text: SourceText)] =
            [("until", step.until), ("expect", step.expect)].compactMap { name, text in text.map { (name, $0) } }
            + step.outputs.map { ("output '\($0.name.value)'", $0.text) }
        if let unjudged = checks.first(where: { dependsOnUnknown($0.text, scope: own) }) {
            attempt.known = false
            attempt.message = notYet(unjudged.name, unjudged.text, scope: own)
            return false
        }
        let outputError = computeOutputs(step, &attempt, scope: own)
        own.expressions.own = attempt.result
        own.expressions.ownSecretOutputs = attempt.secretOutputs
        if attempt.result.status == .timedOut { return false }
        do {
            if let until = step.until, try !condition(until, scope: own) {
                attempt.result.status = .failed
                attempt.message = "until is still false: \(until.value)"
                return false
            }
            if let expected = try expectation(of: step), try !expected.evaluateCondition(in: own.expressions) {
                attempt.result.status = .failed
                // A command that could not start (or was killed) keeps that reason.
                attempt.message = attempt.message ?? step.expect.map { "expect is false: \($0.value)" }
                return false
            }
        } catch {
            attempt.result.status = .failed
            attempt.message = "\(error)"
            return false
        }
        if let outputError {
            attempt.result.status = .failed
            attempt.message = outputError
            return false
        }
        attempt.result.status = .ok
        attempt.message = nil
        return true
    }

    /// Evaluates each output against the attempt's result; one that cannot be evaluated is null.
    /// Returns the first such error, as the message of a step that otherwise succeeded.
    private func computeOutputs(_ step: Step, _ attempt: inout Attempt, scope: RunScope) -> String? {
        var firstError: String?
        for output in step.outputs {
            let name = output.name.value
            do {
                let value = try Expression(parsing: output.text).evaluateTracked(in: scope.expressions)
                attempt.result.outputs[name] = value.value
                if value.isSecret { attempt.secretOutputs.insert(name) }
            } catch {
                attempt.result.outputs[name] = .null
                firstError = firstError ?? "output '\(name)': \(error)"
            }
        }
        return firstError
    }

    /// What an attempt of `step` must satisfy: its `expect`, else `exit_code == 0` for a command;
    /// nil for other actions, which succeed by finishing.
    func expectation(of step: Step) throws(EvaluationError) -> RunbookExpression.Expression? {
        if let expect = step.expect { return try Self.parse(expect) }
        if case .run = step.action { return exitedZero }
        return nil
    }

    /// `exit_code == 0` parsed (see `exitedZero`). Its evaluation cannot fail (`==` compares any
    /// two values), so it needs no step's location.
    static func parseDefaultExpectation() -> RunbookExpression.Expression {
        guard let parsed = try? Expression(parsing: SourceText("exit_code == 0", at: .file("runbook"))) else {
            preconditionFailure("the default expectation does not parse")
        }
        return parsed
    }

    private func conclude(_ node: GraphStep, _ attempt: Attempt, succeeded: Bool, attempts: Int, scope: inout RunScope)
        -> Stop?
    {
        let status: StepStatus
        if attempt.declined {
            status = .declined
        } else if !attempt.known {
            status = .planned
            completedUnknown = true
            if !node.readonly, plannedChange == nil { plannedChange = node.id }
        } else if attempt.interrupted {
            status = .failed
        } else {
            status = succeeded ? .ok : (attempt.result.status == .timedOut ? .timedOut : .failed)
        }
        var result = attempt.result
        result.status = status.seenByExpressions
        scope.record(node.id, status == .planned ? .pending : result, known: status != .planned)
        scope.recordSecrecy(of: node.id, attempt)
        let masker = SecretMasker(secrets: scope.secrets)
        var finished = StepFinished(
            id: node.id, status: status, exitCode: attempt.process?.exitCode,
            durationMS: Int(((attempt.process?.duration ?? result.duration ?? 0) * 1000).rounded()),
            stdout: attempt.process?.stdout.masked(by: .forCapturedOutput(scope.secrets)),
            stderr: attempt.process?.stderr.masked(by: .forCapturedOutput(scope.secrets)),
            outputs: result.outputs.mapValues { masker.mask($0.text) },
            message: attempt.message.map(masker.mask), leftoverPIDs: attempt.process?.leftoverPIDs ?? [],
            attempts: attempts)
        finished.outputTypes = result.outputs.compactMapValues { $0.type == .string ? nil : $0.type.rawValue }
        finished.host = scope.target?.name
        finished.connectionFailed = attempt.connectionFailed
        emit(.stepFinished(finished))
        if attempt.declined { return effects.isInterrupted ? .interrupted : .declined(step: node.id) }
        // A step that failed because the run is stopping (a signal, an audit trail that cannot be written) stops it.
        if attempt.interrupted || (status != .ok && effects.isInterrupted) { return .interrupted }
        // The playbook's own verification: an included playbook's verify is part of the host's step.
        if node.phase == .verify, scope.prefix.isEmpty, status == .failed || status == .timedOut,
            node.onFailure == .continue
        {
            failedVerification = failedVerification ?? node.id
        }
        if status == .ok || status == .planned {
            if !node.rollback.isEmpty {
                completed.append(CompletedStep(step: node, scope: scope))
            } else if status == .ok, !node.readonly, Self.changesTheSystem(node.step.action) {
                leftInPlace.append(node.id)
            }
            return nil
        }
        return policy(for: node)
    }

    /// Commands and manual work change the system; a `wait` or an `assert` does not.
    static func changesTheSystem(_ action: Action) -> Bool {
        switch action {
        case .run, .manual: return true
        case .wait, .assert, .choose, .group, .include: return false
        }
    }
}
