import RunbookBasics
import RunbookDiagnostics

/// The one thing a step does (SPEC §1.2: exactly one action key per step).
package enum Action: Sendable, Hashable {
    case run(Command)
    case manual(SourceText)
    case wait(Located<TimeSpan>)
    case assert(SourceText)
    case choose(Choice)
    case group([Step])
    case include(Include)

    /// The key that selects this action in YAML.
    package var key: String {
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

    /// An action without what it holds (`Step.actionKind`).
    package enum Kind: Sendable, Hashable {
        case run, manual, wait, assert, choose, group, include
    }

    /// Every action key, in the order they are suggested.
    package static let keys = ["run", "manual", "wait", "assert", "choose", "steps", "include"]
}

/// A command: a shell string for `/bin/sh -c`, or an argv run directly without a shell.
package enum Command: Sendable, Hashable {
    case shell(SourceText)
    case argv([SourceText])
}

/// A `choose` step: options the operator picks from, and the one used without an operator.
package struct Choice: Sendable, Hashable {
    package struct Option: Sendable, Hashable {
        package var name: Located<String>
        package var title: SourceText?
        package var when: SourceText?
        package var steps: [Step]

        package init(name: Located<String>, title: SourceText?, when: SourceText?, steps: [Step]) {
            self.name = name
            self.title = title
            self.when = when
            self.steps = steps
        }
    }

    package var options: [Option]
    package var defaultOption: Located<String>?

    package init(options: [Option], defaultOption: Located<String>?) {
        self.options = options
        self.defaultOption = defaultOption
    }
}

/// An `include` step: another playbook's diagnosis, recovery and verify, run inline.
package struct Include: Sendable, Hashable {
    package var playbook: Located<String>
    package var with: [NamedText]

    package init(playbook: Located<String>, with: [NamedText]) {
        self.playbook = playbook
        self.with = with
    }
}
