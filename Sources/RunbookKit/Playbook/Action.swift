/// The one thing a step does (SPEC §1.2: exactly one action key per step).
public enum Action: Sendable, Hashable {
    case run(Command)
    case manual(SourceText)
    case wait(Located<TimeSpan>)
    case assert(SourceText)
    case choose(Choice)
    case group([Step])
    case include(Include)

    /// The key that selects this action in YAML.
    public var key: String {
        switch self {
        case .run: return "run"
        case .manual: return "manual"
        case .wait: return "wait"
        case .assert: return "assert"
        case .choose: return "choose"
        case .group: return "steps"
        case .include: return "include"
        }
    }

    /// Every action key, in the order they are suggested.
    public static let keys = ["run", "manual", "wait", "assert", "choose", "steps", "include"]
}

/// A command: a shell string for `/bin/sh -c`, or an argv run directly without a shell.
public enum Command: Sendable, Hashable {
    case shell(SourceText)
    case argv([SourceText])
}

/// A `choose` step: options the operator picks from, and the one used without an operator.
public struct Choice: Sendable, Hashable {
    public struct Option: Sendable, Hashable {
        public var name: Located<String>
        public var title: SourceText?
        public var when: SourceText?
        public var steps: [Step]

        public init(name: Located<String>, title: SourceText?, when: SourceText?, steps: [Step]) {
            self.name = name
            self.title = title
            self.when = when
            self.steps = steps
        }
    }

    public var options: [Option]
    public var defaultOption: Located<String>?

    public init(options: [Option], defaultOption: Located<String>?) {
        self.options = options
        self.defaultOption = defaultOption
    }
}

/// An `include` step: another playbook's diagnosis, recovery and verify, run inline.
public struct Include: Sendable, Hashable {
    public var playbook: Located<String>
    public var with: [NamedText]

    public init(playbook: Located<String>, with: [NamedText]) {
        self.playbook = playbook
        self.with = with
    }
}
