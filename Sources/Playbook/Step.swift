import RunbookBasics
import RunbookDiagnostics

/// One step of a playbook as written: an action plus the common keys (SPEC §1.2).
package struct Step: Sendable, Hashable {
    /// Nil only for rollback actions, which are named after their step.
    package var id: Located<String>?
    package var location: SourceLocation
    package var action: Action
    package var title: SourceText?
    package var description: SourceText?
    package var when: SourceText?
    package var confirm: Confirmation?
    package var readonly: Located<Bool>?
    package var timeout: Located<TimeSpan>?
    package var detach: Bool
    package var retry: Retry?
    package var until: SourceText?
    package var expect: SourceText?
    package var outputs: [NamedText]
    package var onFailure: Located<FailurePolicy>?
    package var rollback: [Step]
    package var env: [NamedText]
    package var cwd: SourceText?
    package var shell: SourceText?
    /// Run the action once per item of this list (README: fan-out).
    package var foreach: ForEach?
    /// How many items may fail before no further item starts; nil means 0.
    package var maxFailures: Located<FailureBudget>?
    /// How many items run at once (`run` steps only); nil means 1, in order.
    package var parallel: Located<Int>?
    /// The hosts the command runs on, one run per host (README: targets).
    package var on: TargetSelector?
    /// True when the step runs once per item or host (`foreach` or `on`), each run `ID[N]`.
    package var isFanOut: Bool { foreach != nil || on != nil }

    package init(id: Located<String>?, location: SourceLocation, action: Action) {
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
package struct NamedText: Sendable, Hashable {
    package var name: Located<String>
    package var text: SourceText

    package init(name: Located<String>, text: SourceText) {
        self.name = name
        self.text = text
    }
}

/// A confirmation: `true`, a prompt, or a prompt plus a phrase the operator must type.
package struct Confirmation: Sendable, Hashable {
    package var prompt: SourceText?
    package var phrase: SourceText?
    package var location: SourceLocation
    /// `each: true` on a step with `foreach` or `on:`: ask before every item, not once for all.
    package var each = false

    package init(prompt: SourceText?, phrase: SourceText?, location: SourceLocation) {
        self.prompt = prompt
        self.phrase = phrase
        self.location = location
    }
}

/// How often and how patiently a step is attempted.
package struct Retry: Sendable, Hashable {
    /// Total attempts, the first included; nil with `within` alone: as many as fit the window.
    package var attempts: Int?
    package var delay: TimeSpan
    /// Each delay is the previous one times this factor (1 = constant delay).
    package var backoff: Double
    /// A deadline for all attempts, counted from the start of the first: no attempt starts
    /// after it, and an attempt's timeout is cut to what is left of it.
    package var within: TimeSpan?
    /// `on: connection`: retry only when ssh could not reach the host.
    package var onlyConnection = false
    package var location: SourceLocation

    package init(
        attempts: Int?, delay: TimeSpan, backoff: Double, within: TimeSpan? = nil, location: SourceLocation
    ) {
        self.attempts = attempts
        self.delay = delay
        self.backoff = backoff
        self.within = within
        self.location = location
    }

    /// How the retry reads in plans and pages: `5 attempts, 10s apart`, `within 2m, 5s apart`.
    package var summary: String {
        var parts: [String] = []
        if let attempts { parts.append("\(attempts) attempts") }
        if let within { parts.append("within \(within)") }
        return parts.joined(separator: " ") + ", \(delay) apart"
    }
}
