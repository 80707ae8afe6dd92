import RunbookBasics
import RunbookDiagnostics
import RunbookYAML

/// Decodes a `YAML.Node` tree into a `Playbook`, collecting every error in the file in one pass.
///
/// Decoding reads positioned nodes directly (no Codable, no `[String: Any]`), so every
/// finding points at the exact key or value it is about.
package struct PlaybookDecoder {
    package internal(set) var diagnostics: [Diagnostic] = []
    let file: String
    /// Steps decoded while the file was parsed, if any.
    package var decodedAhead: StepsDecodedAhead?

    /// What an empty file is missing: the least a playbook needs.
    static let emptyFileHint =
        "a playbook needs at least 'runbook: 1', an 'id', a 'title' and one step under symptoms, diagnosis, recovery or verify"

    static let topLevelKeys = [
        "runbook", "id", "title", "severity", "summary", "owners", "tags", "escalation", "params",
        "symptoms", "diagnosis", "recovery", "verify", "prevention", "gameday", "alerts", "inventory",
    ]

    package init(file: String) {
        self.file = file
    }

    /// Parses and decodes a file; the playbook is nil when it has errors.
    package static func load(path: String) -> (playbook: Playbook?, diagnostics: [Diagnostic]) {
        let loaded = loadPartial(path: path)
        return (loaded.diagnostics.hasErrors ? nil : loaded.playbook, loaded.diagnostics)
    }

    /// Like `load`, but keeps what could be decoded of a file with errors (`list` shows its id and title).
    package static func loadPartial(path: String) -> (playbook: Playbook?, diagnostics: [Diagnostic]) {
        load(path: path, emptyHint: emptyFileHint) { $0.decode($1) }
    }

    /// Parses a file and decodes its root with `decode`; an empty file gets `emptyHint`.
    static func load<Value>(
        path: String, emptyHint: String, decode: (inout PlaybookDecoder, YAML.Node) -> Value?
    ) -> (Value?, [Diagnostic]) {
        // A long playbook's steps are decoded in the parse's waits for libyaml.
        let ahead = StepsDecodedAhead(file: path)
        let parsed = YAML.load(path: path, itemWork: ahead)
        guard let root = parsed.root else {
            guard parsed.isEmpty else { return (nil, parsed.diagnostics) }
            return (nil, parsed.diagnostics.map { $0.withHint(emptyHint) })
        }
        var decoder = PlaybookDecoder(file: path)
        decoder.decodedAhead = ahead
        let value = decode(&decoder, root)
        let diagnostics = parsed.diagnostics + decoder.diagnostics
        // A large file's tree is freed on another thread while the caller compiles what was decoded.
        if parsed.bytes >= YAML.largeInputBytes { Parallel.release((consume parsed, consume root)) }
        return (value, diagnostics)
    }

    /// Decodes the root node; returns a playbook whenever the required keys could be read.
    package mutating func decode(_ root: YAML.Node) -> Playbook? {
        guard let map = MappingReader(root, what: "a playbook", allowed: Self.topLevelKeys, diagnostics: &diagnostics)
        else { return nil }
        decodeFormatVersion(map)
        let id = map.require("id", what: "the playbook", diagnostics: &diagnostics).flatMap {
            identifier($0, pattern: .playbookID, what: "playbook id")
        }
        let title = map.require("title", what: "the playbook", diagnostics: &diagnostics).flatMap { text($0) }
        var playbook = Playbook(
            file: file, id: id ?? Located("", at: root.start), title: title ?? SourceText("", at: root.start))
        playbook.location = root.start
        playbook.severity = map["severity"].flatMap { severity($0) }
        playbook.summary = map["summary"].flatMap { text($0) }
        playbook.owners = map["owners"].map { stringList($0, what: "owners") } ?? []
        playbook.tags = map["tags"].map { stringList($0, what: "tags") } ?? []
        playbook.escalation = map["escalation"].map { escalation($0) } ?? []
        playbook.params = map["params"].map { params($0) } ?? []
        playbook.prevention = map["prevention"].map { stringList($0, what: "prevention") } ?? []
        playbook.inventory = map["inventory"].flatMap { node in string(node).map { Located($0, at: node.start) } }
        for phase in Phase.allCases {
            if let node = map[phase.rawValue] { playbook.phases[phase.index] = phaseSteps(node, what: phase.rawValue) }
        }
        checkSymptomBudgets(playbook.steps(.symptoms))
        playbook.gameday = map["gameday"].flatMap { gameday($0) }
        playbook.alerts = map["alerts"].map { alerts($0, params: playbook.params) } ?? []
        if Phase.allCases.allSatisfy({ playbook.steps($0).isEmpty }), !diagnostics.hasErrors {
            diagnostics.append(
                .error(
                    "the playbook has no steps", at: root.start,
                    hint: "add at least one step under symptoms, diagnosis, recovery or verify"))
        }
        return id == nil || title == nil ? nil : playbook
    }

    private mutating func decodeFormatVersion(_ map: MappingReader) {
        guard
            let node = map.require(
                "runbook", what: "the playbook", hint: "start the file with 'runbook: 1' (the format version)",
                diagnostics: &diagnostics)
        else { return }
        guard let version = int(node) else { return }
        if version != 1 {
            report("unsupported format version \(version)", at: node.start, hint: "this runbook reads 'runbook: 1'")
        }
    }

    private mutating func severity(_ node: YAML.Node) -> Located<Severity>? {
        guard let s = string(node) else { return nil }
        guard let severity = Severity(rawValue: s) else {
            report("unknown severity '\(s)'", at: node.start, hint: "use P1, P2, P3 or P4")
            return nil
        }
        return Located(severity, at: node.start)
    }

    /// `alerts:` entries: `- NAME` or `- {alert: NAME, labels: {LABEL: PARAM, …}}`; each PARAM
    /// must be a declared param.
    private mutating func alerts(_ node: YAML.Node, params: [Param]) -> [AlertBinding] {
        list(node, what: "alerts").compactMap { item in
            if item.scalar != nil {
                return string(item).map { AlertBinding(alert: Located($0, at: item.start), labels: []) }
            }
            guard
                let map = MappingReader(
                    item, what: "an alerts entry", allowed: ["alert", "labels"], diagnostics: &diagnostics),
                let nameNode = map.require("alert", what: "an alerts entry", diagnostics: &diagnostics),
                let name = string(nameNode)
            else { return nil }
            var labels: [(label: Located<String>, param: Located<String>)] = []
            if let labelsNode = map["labels"] {
                guard let pairs = labelsNode.mapping else {
                    report(
                        "labels must be a mapping of label to param", at: labelsNode.start,
                        hint: "e.g. labels: {instance: host}")
                    return nil
                }
                for pair in pairs {
                    guard let label = string(pair.key), let param = string(pair.value) else { continue }
                    guard params.contains(where: { $0.name == param }) else {
                        report(
                            "label '\(label)' fills param '\(param)', which the playbook does not declare",
                            at: pair.value.start,
                            hint: Suggestion.hint(for: param, in: params.map(\.name)) ?? "declare it under params")
                        continue
                    }
                    labels.append((Located(label, at: pair.key.start), Located(param, at: pair.value.start)))
                }
            }
            return AlertBinding(alert: Located(name, at: nameNode.start), labels: labels)
        }
    }

    private mutating func escalation(_ node: YAML.Node) -> [Escalation] {
        list(node, what: "escalation").compactMap { item in
            guard
                let map = MappingReader(
                    item, what: "an escalation entry", allowed: ["after", "to", "note"], diagnostics: &diagnostics)
            else { return nil }
            let to = map.require("to", what: "an escalation entry", diagnostics: &diagnostics).flatMap { string($0) }
            let after = map["after"].flatMap { duration($0) }
            guard let to else { return nil }
            return Escalation(after: after?.value, to: to, note: map["note"].flatMap { string($0) })
        }
    }

    private mutating func gameday(_ node: YAML.Node) -> GameDay? {
        let keys = ["inject", "revert", "stop_if", "interval"]
        guard let map = MappingReader(node, what: "gameday", allowed: keys, diagnostics: &diagnostics)
        else { return nil }
        let inject = map.require("inject", what: "gameday", diagnostics: &diagnostics).map { steps($0, what: "inject") }
        let revert = map.require("revert", what: "gameday", diagnostics: &diagnostics).map { steps($0, what: "revert") }
        var gameday = GameDay(inject: inject ?? [], revert: revert ?? [])
        gameday.stopIf = map["stop_if"].map { steps($0, what: "stop_if") } ?? []
        gameday.interval = map["interval"].flatMap { duration($0) }?.value
        for probe in gameday.stopIf {
            if case .run = probe.action, probe.readonly?.value != false { continue }
            report(
                "a stop_if probe must be a read-only 'run' step", at: probe.id?.location ?? probe.location,
                hint: "a probe only looks: run a check command, and do not mark it readonly: false")
        }
        return gameday
    }

    mutating func report(_ message: String, at location: SourceLocation, hint: String? = nil) {
        diagnostics.append(.error(message, at: location, hint: hint))
    }
}

extension Diagnostic {
    func withHint(_ hint: String) -> Diagnostic {
        var copy = self
        copy.hint = hint
        return copy
    }
}
