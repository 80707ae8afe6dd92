import RunbookGraph
import RunbookPlaybook

/// A playbook's step graph as a picture (`runbook graph`): phases as clusters, steps in the
/// order they run, guards on the edges into guarded steps (with the `else` edge that skips
/// them), `choose` options as labelled branches, groups and included playbooks as nested
/// clusters, rollback actions behind dashed edges, confirmations and manual steps marked.
///
/// The walk is done once into `items`; `dot()` and `mermaid()` only spell them.
package struct PlaybookPicture: Sendable {
    package enum Format: String, CaseIterable, Sendable {
        case mermaid, dot
    }

    enum Shape: Sendable {
        /// Start and end of the run.
        case terminal
        /// A command that changes the system.
        case action
        /// A command that only reads (the symptom and diagnosis default).
        case readOnly
        /// Something a person does.
        case manual
        /// A `choose`.
        case decision
        case wait
        case assertion
        /// A rollback action.
        case compensation
        /// Where paths meet again.
        case junction
    }

    struct Node: Sendable {
        var name: String
        var label: String
        var shape: Shape
        var confirm: Bool
    }

    struct Edge: Sendable {
        var from: String
        var to: String
        var label: String?
        var dashed: Bool
    }

    enum Item: Sendable {
        case open(label: String)
        case close
        case node(Node)
        case edge(Edge)
    }

    package let title: String
    private(set) var items: [Item] = []

    /// The nodes, in the order drawn.
    var nodes: [Node] {
        items.compactMap { if case .node(let node) = $0 { return node } else { return nil } }
    }
    private var count = 0

    package init(_ graph: StepGraph) {
        title = "\(graph.id): \(graph.playbook.title.value)"
        let start = add(Node(name: "", label: "start", shape: .terminal, confirm: false))
        var pending: [Exit] = [Exit(from: start)]
        for (k, phase) in graph.phases.enumerated() where !phase.steps.isEmpty {
            items.append(.open(label: phase.phase.rawValue))
            pending = sequence(phase.steps, after: pending)
            items.append(.close)
            // A run without a symptom ends after the symptoms phase (SPEC §2: no_symptoms).
            if phase.phase == .symptoms, graph.phases[(k + 1)...].contains(where: { !$0.steps.isEmpty }) {
                pending = pending.map { Exit(from: $0.from, label: Self.joined($0.label, "symptom present")) }
            }
        }
        let end = add(Node(name: "", label: "end", shape: .terminal, confirm: false))
        connect(pending, to: end, guard: nil)
    }

    // MARK: the walk

    /// A loose end: the next step is entered from `from`, with `label` on the edge.
    struct Exit: Sendable {
        var from: String
        var label: String?
    }

    /// Draws `steps` in order after `entries`; returns the loose ends after the last.
    private mutating func sequence(_ steps: [GraphStep], after entries: [Exit]) -> [Exit] {
        var pending = entries
        for step in steps { pending = draw(step, after: pending) }
        return pending
    }

    private mutating func draw(_ node: GraphStep, after entries: [Exit]) -> [Exit] {
        let step = node.step
        let guardText = step.when.map { "when \($0.value)" }
        var exits: [Exit]
        switch node.body {
        case .action:
            let name = add(
                Node(name: node.id, label: Self.label(node), shape: Self.shape(node), confirm: step.confirm != nil))
            connect(entries, to: name, guard: guardText)
            drawRollback(node, from: name)
            exits = [Exit(from: name)]
        case .group(let children):
            let asks = step.confirm != nil ? " (⚠ asks for confirmation)" : ""
            items.append(.open(label: "steps: \(node.id)\(asks)"))
            exits = children.isEmpty ? entries : sequence(children, after: Self.guarded(entries, guardText))
            items.append(.close)
        case .choose(let options):
            let name = add(Node(name: node.id, label: Self.label(node), shape: .decision, confirm: false))
            connect(entries, to: name, guard: guardText)
            exits = []
            var defaultOption: String?
            if case .choose(let choice) = step.action { defaultOption = choice.defaultOption?.value }
            for compiled in options {
                let option = compiled.option
                let title = option.name.value + (option.name.value == defaultOption ? " (default)" : "")
                let label = Self.joined(title, option.when.map { "when \($0.value)" })
                guard !compiled.steps.isEmpty else {
                    exits.append(Exit(from: name, label: label))
                    continue
                }
                items.append(.open(label: "option \(option.name.value)"))
                exits += sequence(compiled.steps, after: [Exit(from: name, label: label)])
                items.append(.close)
            }
        case .include(let included):
            let name = node.id == included.graph.id ? node.id : "\(included.graph.id) as \(node.id)"
            items.append(.open(label: "include \(name)"))
            var inner = Self.guarded(entries, guardText)
            for phase in included.graph.phases where !phase.steps.isEmpty {
                inner = sequence(phase.steps, after: inner)
            }
            items.append(.close)
            exits = inner
        }
        // A false guard skips the step (group, include): the run goes on from where it would have entered.
        if guardText != nil, !exits.isEmpty, exits.map(\.from) != entries.map(\.from) {
            exits += entries.map { Exit(from: $0.from, label: Self.joined($0.label, "else")) }
        }
        // Paths that meet again (options, a skipped step) join in one point, so the next step
        // has one edge in rather than one per path.
        guard exits.count > 1 else { return exits }
        let junction = add(Node(name: "", label: "", shape: .junction, confirm: false))
        connect(exits, to: junction, guard: nil)
        return [Exit(from: junction)]
    }

    /// Rollback actions of an action step hang off it on dashed edges (a group's or an
    /// include's steps carry their own).
    private mutating func drawRollback(_ node: GraphStep, from name: String) {
        for action in node.rollback {
            let label = "\(action.id)\n\(Self.actionText(action.step.action))"
            let compensation = add(
                Node(name: action.id, label: label, shape: .compensation, confirm: action.step.confirm != nil))
            items.append(.edge(Edge(from: name, to: compensation, label: "on rollback", dashed: true)))
        }
    }

    private mutating func add(_ node: Node) -> String {
        count += 1
        var node = node
        node.name = "n\(count)"
        items.append(.node(node))
        return node.name
    }

    private mutating func connect(_ entries: [Exit], to name: String, guard guardText: String?) {
        for entry in entries {
            items.append(
                .edge(Edge(from: entry.from, to: name, label: Self.joined(entry.label, guardText), dashed: false)))
        }
    }

    /// The group's or include's own guard goes on the edges into its first step.
    private static func guarded(_ entries: [Exit], _ guardText: String?) -> [Exit] {
        entries.map { Exit(from: $0.from, label: joined($0.label, guardText)) }
    }

    private static func joined(_ a: String?, _ b: String?) -> String? {
        switch (a, b) {
        case (nil, nil): return nil
        case (let a?, nil): return a
        case (nil, let b?): return b
        case (let a?, let b?): return "\(a) · \(b)"
        }
    }

    // MARK: labels

    private static func shape(_ node: GraphStep) -> Shape {
        switch node.step.action {
        case .manual: return .manual
        case .wait: return .wait
        case .assert: return .assertion
        case .choose: return .decision
        case .run, .group, .include: return node.readonly ? .readOnly : .action
        }
    }

    private static func label(_ node: GraphStep) -> String {
        var lines = [node.id]
        if let title = node.step.title?.value { lines.append(shortened(title)) }
        let text = actionText(node.step.action)
        if !text.isEmpty { lines.append(text) }
        if let foreach = node.step.foreach {
            let budget =
                (node.step.parallel.map { ", parallel \($0.value)" } ?? "")
                + (node.step.maxFailures.map { ", max_failures \($0.value)" } ?? "")
            lines.append("for each of \(shortened(foreach.text))\(budget)")
        }
        if node.step.confirm != nil { lines.append("⚠ asks for confirmation") }
        return lines.joined(separator: "\n")
    }

    /// The first line of what the step does, cut to a readable width.
    private static func actionText(_ action: Action) -> String {
        let (text, argv) = StepDescription.actionText(action)
        let whole: String
        switch action {
        case .manual: whole = "manual: " + (text ?? "")
        case .wait: whole = "wait " + (text ?? "")
        case .assert: whole = "assert " + (text ?? "")
        case .choose: whole = "choose one"
        case .group, .include: whole = ""
        case .run: whole = "$ " + (text ?? argv?.joined(separator: " ") ?? "")
        }
        return shortened(whole)
    }

    private static func shortened(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        let first = lines.first.map(String.init) ?? ""
        let more = lines.count > 1
        if first.count > 48 { return String(first.prefix(47)) + "…" }
        return more ? first + " …" : first
    }
}
