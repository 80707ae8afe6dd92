/// Everything `runbook show` tells about a playbook, as data; the page and `--json` both come from it.
public struct PlaybookDescription: Encodable, Sendable {
    public struct ParamInfo: Encodable, Sendable {
        public var name: String
        public var type: String
        public var required: Bool
        public var `default`: String?
        public var choices: [String]?
        public var pattern: String?
        public var min: Double?
        public var max: Double?
        public var secret: Bool
        public var env: String?
        public var description: String?
    }

    public struct EscalationInfo: Encodable, Sendable {
        public var after: String?
        public var to: String
        public var note: String?
    }

    public struct PhaseInfo: Encodable, Sendable {
        public var phase: String
        public var steps: [StepDescription]
    }

    public var id: String
    public var title: String
    public var file: String
    public var severity: String?
    public var summary: String?
    public var owners: [String]
    public var tags: [String]
    public var escalation: [EscalationInfo]
    public var params: [ParamInfo]
    public var phases: [PhaseInfo]
    public var prevention: [String]

    public init(_ graph: StepGraph) {
        let p = graph.playbook
        id = p.id.value
        title = p.title.value
        file = p.file
        severity = p.severity?.value.rawValue
        summary = p.summary?.value
        owners = p.owners
        tags = p.tags
        escalation = p.escalation.map { EscalationInfo(after: $0.after?.description, to: $0.to, note: $0.note) }
        params = p.params.map { param in
            ParamInfo(
                name: param.name, type: param.kind.rawValue, required: param.required,
                default: param.defaultValue.map { param.secret ? "***" : $0.description },
                choices: param.choices?.map(\.description), pattern: param.pattern?.value, min: param.min,
                max: param.max, secret: param.secret, env: param.env, description: param.description)
        }
        phases = graph.phases.map { PhaseInfo(phase: $0.phase.rawValue, steps: $0.steps.map(StepDescription.init)) }
        prevention = p.prevention
    }
}

/// One step as `show` describes it: its action as written plus resolved defaults.
public struct StepDescription: Encodable, Sendable {
    public struct OptionInfo: Encodable, Sendable {
        public var name: String
        public var title: String?
        public var when: String?
        public var steps: [StepDescription]
    }

    public struct RollbackInfo: Encodable, Sendable {
        public var id: String
        public var action: String
        public var text: String
    }

    public var id: String
    public var title: String?
    public var description: String?
    /// The action key: run, manual, wait, assert, choose, steps, include.
    public var action: String
    /// The command, manual text, wait duration, assertion or included playbook id, as written.
    public var text: String?
    public var argv: [String]?
    public var when: String?
    public var confirm: String?
    public var phrase: String?
    public var readonly: Bool
    public var onFailure: String
    public var timeout: String?
    public var retry: String?
    public var until: String?
    public var expect: String?
    public var outputs: [String: String]?
    public var rollback: [RollbackInfo]?
    public var options: [OptionInfo]?
    public var `default`: String?
    public var steps: [StepDescription]?
    public var with: [String: String]?

    public init(_ node: GraphStep) {
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
            "\(r.attempts) attempts, \(r.delay) apart"
                + (r.backoff > 1 ? ", backoff ×\(ParamValue.number(r.backoff))" : "")
        }
        until = step.until?.value
        expect = step.expect?.value
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
