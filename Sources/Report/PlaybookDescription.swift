import RunbookGraph
import RunbookPlaybook

/// Everything `runbook show` tells about a playbook, as data; the page and `--json` both come from it.
package struct PlaybookDescription: Encodable, Sendable {
    package struct ParamInfo: Encodable, Sendable {
        package var name: String
        package var type: String
        package var required: Bool
        package var `default`: String?
        package var choices: [String]?
        package var pattern: String?
        package var min: Double?
        package var max: Double?
        package var minItems: Int?
        package var maxItems: Int?
        package var secret: Bool
        package var env: String?
        package var description: String?
    }

    package struct EscalationInfo: Encodable, Sendable {
        package var after: String?
        package var to: String
        package var note: String?
    }

    package struct PhaseInfo: Encodable, Sendable {
        package var phase: String
        package var steps: [StepDescription]
    }

    package var id: String
    package var title: String
    package var file: String
    package var severity: String?
    /// What the severity promises: response time, customer updates, review.
    package var response: SeverityResponse?
    package var summary: String?
    package var owners: [String]
    package var tags: [String]
    package var escalation: [EscalationInfo]
    package var params: [ParamInfo]
    package var phases: [PhaseInfo]
    package var prevention: [String]

    package init(_ graph: StepGraph) {
        let p = graph.playbook
        id = p.id.value
        title = p.title.value
        file = p.file
        severity = p.severity?.value.rawValue
        response = p.severity.map { SeverityResponse($0.value) }
        summary = p.summary?.value
        owners = p.owners
        tags = p.tags
        escalation = p.escalation.map { EscalationInfo(after: $0.after?.description, to: $0.to, note: $0.note) }
        params = p.params.map { param in
            ParamInfo(
                name: param.name, type: param.kind.rawValue, required: param.required,
                default: param.defaultValue.map { param.secret ? "***" : $0.description },
                choices: param.choices?.map(\.description), pattern: param.pattern?.value, min: param.min,
                max: param.max, minItems: param.minItems, maxItems: param.maxItems, secret: param.secret,
                env: param.env, description: param.description)
        }
        phases = graph.phases.map { PhaseInfo(phase: $0.phase.rawValue, steps: $0.steps.map(StepDescription.init)) }
        prevention = p.prevention
    }
}

/// One step as `show` describes it: its action as written plus resolved defaults.
package struct StepDescription: Encodable, Sendable {
    package struct OptionInfo: Encodable, Sendable {
        package var name: String
        package var title: String?
        package var when: String?
        package var steps: [StepDescription]
    }

    package struct RollbackInfo: Encodable, Sendable {
        package var id: String
        package var action: String
        package var text: String
    }

    package var id: String
    package var title: String?
    package var description: String?
    /// The action key: run, manual, wait, assert, choose, steps, include.
    package var action: String
    /// The command, manual text, wait duration, assertion or included playbook id, as written.
    package var text: String?
    package var argv: [String]?
    package var when: String?
    package var confirm: String?
    package var phrase: String?
    package var readonly: Bool
    package var onFailure: String
    package var timeout: String?
    package var retry: String?
    package var until: String?
    package var expect: String?
    package var outputs: [String: String]?
    package var rollback: [RollbackInfo]?
    package var options: [OptionInfo]?
    package var `default`: String?
    package var steps: [StepDescription]?
    package var with: [String: String]?
    /// A fan-out: the `foreach` list as written, the hosts of `on:`, the failure budget and how
    /// many items run at once.
    package var foreach: String?
    package var on: String?
    package var maxFailures: String?
    package var parallel: Int?

    package init(_ node: GraphStep) {
        let step = node.step
        id = node.id
        title = step.title?.value
        description = step.description?.value
        action = step.action.key
        (text, argv) = Self.actionText(step.action)
        when = step.when?.value
        confirm = step.confirm.map { $0.prompt?.value ?? "yes" }
        phrase = step.confirm?.phrase?.value
        readonly = node.readonly
        onFailure = node.onFailure.rawValue
        timeout = node.timeout?.description
        retry = step.retry.map { r in
            r.summary
                + (r.backoff > 1 ? ", backoff ×\(ParamValue.number(r.backoff))" : "")
        }
        until = step.until?.value
        expect = step.expect?.value
        foreach = step.foreach?.text
        on = step.on?.text
        maxFailures = step.maxFailures?.value.description
        parallel = step.parallel?.value
        outputs =
            step.outputs.isEmpty ? nil : Dictionary(step.outputs.map { ($0.name.value, $0.text.value) }) { a, _ in a }
        rollback =
            node.rollback.isEmpty
            ? nil
            : node.rollback.map { r in
                let (text, argv) = Self.actionText(r.step.action)
                return RollbackInfo(
                    id: r.id, action: r.step.action.key, text: text ?? argv?.joined(separator: " ") ?? "")
            }
        switch node.body {
        case .group(let children): steps = children.map(StepDescription.init)
        case .choose(let compiled):
            options = compiled.map {
                OptionInfo(
                    name: $0.option.name.value, title: $0.option.title?.value, when: $0.option.when?.value,
                    steps: $0.steps.map(StepDescription.init))
            }
            if case .choose(let choice) = step.action { self.default = choice.defaultOption?.value }
        case .include(let included):
            with = Dictionary(included.with.map { ($0.name.value, $0.text.value) }) { a, _ in a }
        case .action: break
        }
    }

    static func actionText(_ action: Action) -> (String?, [String]?) {
        switch action {
        case .run(.shell(let s)): return (s.value, nil)
        case .run(.argv(let argv)): return (nil, argv.map(\.value))
        case .manual(let s), .assert(let s): return (s.value, nil)
        case .wait(let d): return (d.value.description, nil)
        case .include(let inc): return (inc.playbook.value, nil)
        case .choose, .group: return (nil, nil)
        }
    }
}
