import RunbookBasics
import RunbookDiagnostics

/// One step of a playbook as written: an action plus the common keys (SPEC §1.2).
///
/// The fields live in one shared, copy-on-write box: a step is copied wherever a playbook is
/// decoded, compiled, checked and run, and copying nearly a kilobyte of fields (and retaining
/// each) was a visible part of `validate` and of planning.
package struct Step: Sendable, Hashable {
    private struct Fields: Sendable, Hashable {
        var id: Located<String>?
        var location: SourceLocation
        var action: Action
        var title: SourceText?
        var description: SourceText?
        var when: SourceText?
        var confirm: Confirmation?
        var readonly: Located<Bool>?
        var timeout: Located<TimeSpan>?
        var detach: Bool
        var retry: Retry?
        var until: SourceText?
        var expect: SourceText?
        var outputs: [NamedText]
        var onFailure: Located<FailurePolicy>?
        var rollback: [Step]
        var env: [NamedText]
        var cwd: SourceText?
        var shell: SourceText?
        var foreach: ForEach?
        var maxFailures: Located<FailureBudget>?
        var parallel: Located<Int>?
        var on: TargetSelector?
    }

    /// Mutated only through `fields`, which copies it first unless this step is its only owner.
    private final class Box: @unchecked Sendable {
        // Unchecked: every write goes through `fields`, which first makes this step the box's
        // only owner, so a read can never overlap a write; the runtime check of each access
        // was a visible part of decoding and checking.
        @exclusivity(unchecked) var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var box: Box

    private var fields: Fields {
        get { box.fields }
        _modify {
            if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
            yield &box.fields
        }
    }

    /// Nil only for rollback actions, which are named after their step.
    package var id: Located<String>? {
        get { box.fields.id }
        _modify { yield &fields.id }
    }
    package var location: SourceLocation {
        get { box.fields.location }
        _modify { yield &fields.location }
    }
    package var action: Action {
        get { box.fields.action }
        _modify { yield &fields.action }
    }
    package var title: SourceText? {
        get { box.fields.title }
        _modify { yield &fields.title }
    }
    package var description: SourceText? {
        get { box.fields.description }
        _modify { yield &fields.description }
    }
    package var when: SourceText? {
        get { box.fields.when }
        _modify { yield &fields.when }
    }
    package var confirm: Confirmation? {
        get { box.fields.confirm }
        _modify { yield &fields.confirm }
    }
    package var readonly: Located<Bool>? {
        get { box.fields.readonly }
        _modify { yield &fields.readonly }
    }
    package var timeout: Located<TimeSpan>? {
        get { box.fields.timeout }
        _modify { yield &fields.timeout }
    }
    package var detach: Bool {
        get { box.fields.detach }
        _modify { yield &fields.detach }
    }
    package var retry: Retry? {
        get { box.fields.retry }
        _modify { yield &fields.retry }
    }
    package var until: SourceText? {
        get { box.fields.until }
        _modify { yield &fields.until }
    }
    package var expect: SourceText? {
        get { box.fields.expect }
        _modify { yield &fields.expect }
    }
    package var outputs: [NamedText] {
        get { box.fields.outputs }
        _modify { yield &fields.outputs }
    }
    package var onFailure: Located<FailurePolicy>? {
        get { box.fields.onFailure }
        _modify { yield &fields.onFailure }
    }
    package var rollback: [Step] {
        get { box.fields.rollback }
        _modify { yield &fields.rollback }
    }
    package var env: [NamedText] {
        get { box.fields.env }
        _modify { yield &fields.env }
    }
    package var cwd: SourceText? {
        get { box.fields.cwd }
        _modify { yield &fields.cwd }
    }
    package var shell: SourceText? {
        get { box.fields.shell }
        _modify { yield &fields.shell }
    }
    /// Run the action once per item of this list (README: fan-out).
    package var foreach: ForEach? {
        get { box.fields.foreach }
        _modify { yield &fields.foreach }
    }
    /// How many items may fail before no further item starts; nil means 0.
    package var maxFailures: Located<FailureBudget>? {
        get { box.fields.maxFailures }
        _modify { yield &fields.maxFailures }
    }
    /// How many items run at once (`run` steps only); nil means 1, in order.
    package var parallel: Located<Int>? {
        get { box.fields.parallel }
        _modify { yield &fields.parallel }
    }
    /// The hosts the command runs on, one run per host (README: targets).
    package var on: TargetSelector? {
        get { box.fields.on }
        _modify { yield &fields.on }
    }

    /// True when the step runs once per item or host (`foreach` or `on`), each run `ID[N]`.
    package var isFanOut: Bool {
        // Asked in place: `foreach` and `on` would be copies.
        if case .none = box.fields.foreach, case .none = box.fields.on { return false }
        return true
    }

    /// Which action the step has, read without copying the action: a copy retains each of
    /// its texts, and compiling and checking ask this of every step several times.
    package var actionKind: Action.Kind {
        switch box.fields.action {
        case .run: return .run
        case .manual: return .manual
        case .wait: return .wait
        case .assert: return .assert
        case .choose: return .choose
        case .group: return .group
        case .include: return .include
        }
    }

    /// The items of a `run` given as an argv list; nil for any other action.
    package var argv: [SourceText]? {
        if case .run(.argv(let items)) = box.fields.action { return items }
        return nil
    }

    package init(id: Located<String>?, location: SourceLocation, action: Action) {
        box = Box(
            Fields(
                id: id, location: location, action: action, title: nil, description: nil, when: nil, confirm: nil,
                readonly: nil, timeout: nil, detach: false, retry: nil, until: nil, expect: nil, outputs: [],
                onFailure: nil, rollback: [], env: [], cwd: nil, shell: nil, foreach: nil, maxFailures: nil,
                parallel: nil, on: nil))
    }

    package static func == (a: Step, b: Step) -> Bool { a.box === b.box || a.box.fields == b.box.fields }

    /// True when both are the very step decoded (not only equal): a quick test that work done
    /// on one holds for the other.
    package func isSameStep(as other: Step) -> Bool { box === other.box }

    package func hash(into hasher: inout Hasher) { box.fields.hash(into: &hasher) }
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
