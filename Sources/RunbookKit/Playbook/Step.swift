/// One step of a playbook as written: an action plus the common keys (SPEC §1.2).
public struct Step: Sendable, Hashable {
    /// Nil only for rollback actions, which are named after their step.
    public var id: Located<String>?
    public var location: SourceLocation
    public var action: Action
    public var title: SourceText?
    public var description: SourceText?
    public var when: SourceText?
    public var confirm: Confirmation?
    public var readonly: Located<Bool>?
    public var timeout: Located<TimeSpan>?
    public var detach: Bool
    public var retry: Retry?
    public var until: SourceText?
    public var expect: SourceText?
    public var outputs: [NamedText]
    public var onFailure: Located<FailurePolicy>?
    public var rollback: [Step]
    public var env: [NamedText]
    public var cwd: SourceText?
    public var shell: SourceText?

    public init(id: Located<String>?, location: SourceLocation, action: Action) {
        self.id = id
        self.location = location
        self.action = action
        self.detach = false
        self.outputs = []
        self.rollback = []
        self.env = []
    }
}

/// A name and its text, in the order written (outputs, env, include's `with`).
public struct NamedText: Sendable, Hashable {
    public var name: Located<String>
    public var text: SourceText

    public init(name: Located<String>, text: SourceText) {
        self.name = name
        self.text = text
    }
}

/// A confirmation: `true`, a prompt, or a prompt plus a phrase the operator must type.
public struct Confirmation: Sendable, Hashable {
    public var prompt: SourceText?
    public var phrase: SourceText?
    public var location: SourceLocation

    public init(prompt: SourceText?, phrase: SourceText?, location: SourceLocation) {
        self.prompt = prompt
        self.phrase = phrase
        self.location = location
    }
}

/// How often and how patiently a step is attempted.
public struct Retry: Sendable, Hashable {
    public var attempts: Int
    public var delay: TimeSpan
    /// Each delay is the previous one times this factor (1 = constant delay).
    public var backoff: Double
    public var location: SourceLocation

    public init(attempts: Int, delay: TimeSpan, backoff: Double, location: SourceLocation) {
        self.attempts = attempts
        self.delay = delay
        self.backoff = backoff
        self.location = location
    }
}
