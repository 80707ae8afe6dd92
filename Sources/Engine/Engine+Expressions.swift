import RunbookBasics
import RunbookDiagnostics
import RunbookEvents
import RunbookExpression
import RunbookGraph
import RunbookPlaybook

/// Evaluating guards, conditions and templates against a run scope.
extension Engine {
    /// A guard's state, or the runtime error that makes the step fail.
    func evaluateGuard(_ text: SourceText, scope: RunScope) -> Result<GuardRecord, EvaluationError> {
        let expression: Expression
        do {
            expression = try Self.parse(text)
        } catch {
            return .failure(error)
        }
        let values = readValues(expression, scope: scope)
        if dependsOnUnknown(expression, scope: scope) {
            return .success(GuardRecord(expression: text.value, state: .undetermined, values: values))
        }
        do {
            let holds = try expression.evaluateCondition(in: scope.expressions)
            return .success(GuardRecord(expression: text.value, state: holds ? .true : .false, values: values))
        } catch {
            return .failure(error)
        }
    }

    func condition(_ text: SourceText, scope: RunScope) throws(EvaluationError) -> Bool {
        try Self.parse(text).evaluateCondition(in: scope.expressions)
    }

    /// Parses an expression at run time; `validate` has already checked it, so a failure here is rare.
    static func parse(_ text: SourceText) throws(EvaluationError) -> Expression {
        do {
            return try Expression(parsing: text)
        } catch {
            throw EvaluationError(parsing: error, in: text)
        }
    }

    func dependsOnUnknown(_ text: SourceText, scope: RunScope) -> Bool {
        guard let expression = try? Expression(parsing: text) else { return false }
        return dependsOnUnknown(expression, scope: scope)
    }

    /// True when the expression reads a step whose result is unknown (not executed in a dry-run).
    func dependsOnUnknown(_ expression: Expression, scope: RunScope) -> Bool {
        scope.hasUnknowns && expression.root.references.contains(where: scope.isUnknown)
    }

    /// Why a check is left for the live run: `assert cannot be judged yet: steps.look was not run`.
    func notYet(_ what: String, _ text: SourceText, scope: RunScope) -> String {
        let names = unknownNames((try? Expression(parsing: text))?.root.references ?? [], scope: scope)
        return "\(what) cannot be judged yet: it reads \(names), which this dry-run did not run"
    }

    /// `name → value` of every name an expression reads, for the record of a guard decision.
    func readValues(_ expression: Expression, scope: RunScope) -> [String: String] {
        var values: [String: String] = [:]
        let masker = SecretMasker(secrets: scope.secrets)
        for reference in expression.root.references {
            let (name, value) = scope.read(reference)
            // A step this dry-run did not run has no value yet; "null" would read as a result.
            values[name] = scope.isUnknown(reference) ? "⟨not run yet⟩" : masker.mask(value.map(\.text) ?? "null")
        }
        return values
    }

    /// Renders text for display; a value not known yet shows as a placeholder (see `planned`).
    /// Even where `default()` would give a fallback: a plan must not show a guess as the value.
    func render(_ text: SourceText?, scope: RunScope) -> String? {
        guard let text else { return nil }
        if readsUnknown(text, scope: scope) { return planned(text, mode: .plain, scope: scope) }
        return (try? renderStrict(text, mode: .plain, scope: scope).display)
            ?? planned(text, mode: .plain, scope: scope)
    }

    /// True when a template reads a value not known yet (a step or include param the dry-run did not run).
    func readsUnknown(_ text: SourceText, scope: RunScope) -> Bool {
        // A live run knows everything: no template is parsed for this.
        guard scope.hasUnknowns, let template = try? Template(parsing: text, mode: .plain) else { return false }
        return template.expressions.contains { dependsOnUnknown($0, scope: scope) }
    }

    /// The names of the unknown values templates read: `'look'`, `params.who`.
    func unknownNames(in texts: [SourceText], scope: RunScope) -> String {
        unknownNames(
            texts.flatMap { text in
                (try? Template(parsing: text, mode: .plain))?.expressions.flatMap(\.root.references) ?? []
            }, scope: scope)
    }

    /// The names of the unknown values among `references`, sorted: a step as `'look'`, a param as `params.who`.
    func unknownNames(_ references: [Reference], scope: RunScope) -> String {
        let names = Set(
            references.filter(scope.isUnknown).map { reference in
                reference.step.map { "'\($0)'" } ?? scope.read(reference).0
            })
        return names.sorted().joined(separator: ", ")
    }

    /// Text as a plan shows it: known values written in, each unknown one as `⟨steps.x.outputs.y⟩`.
    func planned(_ text: SourceText, mode: QuotingMode, scope: RunScope) -> String {
        guard let template = try? Template(parsing: text, mode: mode) else { return text.value }
        return template.planned(in: scope.expressions) { dependsOnUnknown($0, scope: scope) }
    }

    func renderStrict(_ text: SourceText, mode: QuotingMode, scope: RunScope) throws(EvaluationError) -> Rendered {
        let template: Template
        do {
            template = try Template(parsing: text, mode: mode)
        } catch {
            throw EvaluationError(parsing: error, in: text)
        }
        return try template.render(in: scope.expressions)
    }

    /// What a step will do, as shown and audited: the rendered command, instructions or assertion.
    func describe(_ node: GraphStep, scope: RunScope) -> String? {
        if case .include(let included) = node.step.action { return "include \(included.playbook.value)" }
        return describeAction(node.step, scope: scope)
    }

    /// A step's `env:` as shown in plans, prompts and records: secrets masked, unknown values as placeholders.
    func describeEnvironment(_ step: Step, scope: RunScope) -> [String: String] {
        var shown: [String: String] = [:]
        for variable in step.env { shown[variable.name.value] = render(variable.text, scope: scope) }
        return shown
    }

    func describeAction(_ step: Step, scope: RunScope) -> String? {
        switch step.action {
        case .run(let command):
            guard !readsUnknown(command, step: step, scope: scope),
                let invocation = try? prepare(
                    command, step: step, id: "", readonly: true, timeout: nil, attempt: 1,
                    scope: scope)
            else { return planned(command, scope: scope) }
            return invocation.display
        case .manual(let text): return render(text, scope: scope)
        case .wait(let d): return "wait \(d.value)"
        case .assert(let text): return "assert \(text.value)"
        case .choose, .group, .include: return nil
        }
    }

    /// A command whose values are not all known yet (they read an unexecuted step).
    private func planned(_ command: Command, scope: RunScope) -> String {
        switch command {
        case .shell(let text): return planned(text, mode: .shell, scope: scope)
        case .argv(let items):
            return items.map { item in
                let word = planned(item, mode: .plain, scope: scope)
                return word.contains("⟨") ? word : ShellQuoting.quoteIfNeeded(word)
            }.joined(separator: " ")
        }
    }
}

extension RunScope {
    /// True when the reference reads a step whose result is unknown (not executed in a dry-run).
    /// False in a live run, where every result is known: checks for unknowns can stop at once.
    var hasUnknowns: Bool { !unknown.isEmpty || !unknownParams.isEmpty }

    func isUnknown(_ reference: Reference) -> Bool {
        if case .param(let name) = reference { return unknownParams.contains(name.text) }
        return reference.step.map(unknown.contains) ?? false
    }

    /// The name a reference is written as, and its current value.
    func read(_ reference: Reference) -> (String, Value?) {
        let s = expressions
        switch reference {
        case .param(let n): return ("params.\(n.text)", s.params[n.text])
        case .env(let n): return ("env.\(n.text)", s.env[n.text].map(Value.string))
        case .stepField(let step, let field):
            return ("steps.\(step.text).\(field.text)", (s.steps[step.text] ?? .pending).field(field.text))
        case .stepOutput(let step, let output):
            return ("steps.\(step.text).outputs.\(output.text)", s.steps[step.text]?.outputs[output.text])
        case .own(let n): return (n.text, s.own?.field(n.text))
        case .ownOutput(let n): return ("outputs.\(n.text)", s.own?.outputs[n.text])
        case .loop(let n):
            return (n.text, s.loop.map { n.text == "index" ? .number(Double($0.index)) : $0.value })
        }
    }
}

extension EvaluationError {
    /// A syntax error met at run time, reported like any other evaluation failure of that text.
    init(parsing diagnostic: Diagnostic, in text: SourceText) {
        self.init(.typeMismatch, diagnostic.message, expression: text.value, location: diagnostic.location)
    }
}
