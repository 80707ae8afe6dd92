import RunbookBasics
import RunbookDiagnostics

/// One step of a playbook as written: an action plus the common keys (SPEC §1.2).
///
/// The fields live in one shared, copy-on-write box: a step is copied wherever a playbook is
/// decoded, compiled, checked and run, and copying nearly a kilobyte of fields (and retaining
/// each) was a visible part of `validate` and of planning. The keys few steps have live in a
/// second box, made only for a step that has one of them (`Rare`): a box of every field was
/// 780 bytes a step, written when the step was made — 3 MB of a 2,000-step playbook's heap.
package struct Step: Sendable, Hashable {
    private struct Fields: Sendable, Hashable {
        var id: Located<String>?
        var location: SourceLocation
        var action: Action
        var title: SourceText?
        var description: SourceText?
        var when: SourceText?
        var timeout: Located<TimeSpan>?
        var onFailure: Located<FailurePolicy>?
        var rollback: [Step]
        var rare: Rare
    }

    /// The keys few steps have, each at its default until set.
    private struct RareFields: Sendable, Hashable {
        var confirm: Confirmation?
        var readonly: Located<Bool>?
        var detach = false
        var retry: Retry?
        var until: SourceText?
        var expect: SourceText?
        var outputs: [NamedText] = []
        var env: [NamedText] = []
        var cwd: SourceText?
        var shell: SourceText?
        var foreach: ForEach?
        var maxFailures: Located<FailureBudget>?
        var parallel: Located<Int>?
        var on: TargetSelector?
    }

    /// The rare keys' box, or none while every one of them is at its default; equal and hashed
    /// by the fields it stands for, so a step with no box equals one whose box holds defaults.
    private struct Rare: Sendable, Hashable {
        private final class Box: @unchecked Sendable {
            // Unchecked: written only through `modify`, after making the box unshared.
            @exclusivity(unchecked) var fields: RareFields
            init(_ fields: RareFields) { self.fields = fields }
        }

        private var box: Box?

        /// False while every rare key is at its default.
        var isBoxed: Bool { box != nil }

        mutating func modify(_ change: (inout RareFields) -> Void) {
            if box == nil {
                box = Box(RareFields())
            } else if !isKnownUniquelyReferenced(&box) {
                box = Box(box!.fields)
            }
            change(&box!.fields)
        }

        static func == (a: Rare, b: Rare) -> Bool {
            a.box === b.box || (a.box?.fields ?? RareFields()) == (b.box?.fields ?? RareFields())
        }

        func hash(into hasher: inout Hasher) { (box?.fields ?? RareFields()).hash(into: &hasher) }

        /// Reads one field without copying the others.
        func read<Value>(_ field: (RareFields) -> Value, or absent: Value) -> Value {
            guard let box else { return absent }
            return field(box.fields)
        }
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

    /// Sets a rare key; setting one to its default makes no box when the step has none.
    private mutating func setRare(isDefault: Bool, _ change: (inout RareFields) -> Void) {
        if isDefault, !box.fields.rare.isBoxed { return }
        fields.rare.modify(change)
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
        get { box.fields.rare.read({ $0.confirm }, or: nil) }
        set { setRare(isDefault: newValue == nil) { $0.confirm = newValue } }
    }
    package var readonly: Located<Bool>? {
        get { box.fields.rare.read({ $0.readonly }, or: nil) }
        set { setRare(isDefault: newValue == nil) { $0.readonly = newValue } }
    }
    package var timeout: Located<TimeSpan>? {
        get { box.fields.timeout }
        _modify { yield &fields.timeout }
    }
    package var detach: Bool {
        get { box.fields.rare.read({ $0.detach }, or: false) }
        set { setRare(isDefault: !newValue) { $0.detach = newValue } }
    }
    package var retry: Retry? {
        get { box.fields.rare.read({ $0.retry }, or: nil) }
        set { setRare(isDefault: newValue == nil) { $0.retry = newValue } }
    }
    package var until: SourceText? {
        get { box.fields.rare.read({ $0.until }, or: nil) }
        set { setRare(isDefault: newValue == nil) { $0.until = newValue } }
    }
    package var expect: SourceText? {
        get { box.fields.rare.read({ $0.expect }, or: nil) }
        set { setRare(isDefault: newValue == nil) { $0.expect = newValue } }
    }
    package var outputs: [NamedText] {
        get { box.fields.rare.read({ $0.outputs }, or: []) }
        set { setRare(isDefault: newValue.isEmpty) { $0.outputs = newValue } }
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
        get { box.fields.rare.read({ $0.env }, or: []) }
        set { setRare(isDefault: newValue.isEmpty) { $0.env = newValue } }
    }
    package var cwd: SourceText? {
        get { box.fields.rare.read({ $0.cwd }, or: nil) }
        set { setRare(isDefault: newValue == nil) { $0.cwd = newValue } }
    }
    package var shell: SourceText? {
        get { box.fields.rare.read({ $0.shell }, or: nil) }
        set { setRare(isDefault: newValue == nil) { $0.shell = newValue } }
    }
    /// Run the action once per item of this list (README: fan-out).
    package var foreach: ForEach? {
        get { box.fields.rare.read({ $0.foreach }, or: nil) }
        set { setRare(isDefault: newValue == nil) { $0.foreach = newValue } }
    }
    /// How many items may fail before no further item starts; nil means 0.
    package var maxFailures: Located<FailureBudget>? {
        get { box.fields.rare.read({ $0.maxFailures }, or: nil) }
        set { setRare(isDefault: newValue == nil) { $0.maxFailures = newValue } }
    }
    /// How many items run at once (`run` steps only); nil means 1, in order.
    package var parallel: Located<Int>? {
        get { box.fields.rare.read({ $0.parallel }, or: nil) }
        set { setRare(isDefault: newValue == nil) { $0.parallel = newValue } }
    }
    /// The hosts the command runs on, one run per host (README: targets).
    package var on: TargetSelector? {
        get { box.fields.rare.read({ $0.on }, or: nil) }
        set { setRare(isDefault: newValue == nil) { $0.on = newValue } }
    }

    /// True when the step runs once per item or host (`foreach` or `on`), each run `ID[N]`.
    package var isFanOut: Bool {
        // Asked in place: `foreach` and `on` would be copies.
        box.fields.rare.read(
            { rare in
                if case .none = rare.foreach, case .none = rare.on { return false }
                return true
            }, or: false)
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
                id: id, location: location, action: action, title: nil, description: nil, when: nil, timeout: nil,
                onFailure: nil, rollback: [], rare: Rare()))
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
