import RunbookBasics
import RunbookDiagnostics
import RunbookYAML

/// Scenario files share the playbook decoder's scalars and diagnostics: positions on every
/// finding, all findings of a file at once.
extension PlaybookDecoder {
    static let scenarioKeys = ["playbook", "params", "steps", "expect"]
    static let outcomeKeys = ["exit_code", "stdout", "stderr", "duration", "option", "answer", "definition"]
    static let expectKeys = ["path", "outcome", "skipped"]

    /// Parses and decodes a scenario file. The scenario is returned whenever its playbook and
    /// expectations could be read, errors or not, so that checking it against the playbook can
    /// report every finding at once.
    package static func loadScenario(path: String) -> (scenario: Scenario?, diagnostics: [Diagnostic]) {
        load(path: path, emptyHint: "a scenario needs 'playbook: ID' and 'expect: {path: [...], outcome: ...}'") {
            $0.decodeScenario($1)
        }
    }

    package mutating func decodeScenario(_ root: YAML.Node) -> Scenario? {
        guard let map = MappingReader(root, what: "a scenario", allowed: Self.scenarioKeys, diagnostics: &diagnostics)
        else { return nil }
        let playbook = map.require("playbook", what: "the scenario", diagnostics: &diagnostics).flatMap {
            identifier($0, pattern: .playbookID, what: "playbook id")
        }
        let hint = "add expect: {path: [STEP, ...], outcome: recovered}"
        var expectation: Scenario.Expectation?
        if let node = map.require("expect", what: "the scenario", hint: hint, diagnostics: &diagnostics) {
            expectation = self.expectation(node)
        }
        guard let playbook, let expectation else { return nil }
        var scenario = Scenario(file: file, location: root.start, playbook: playbook, expect: expectation)
        if let params = map["params"] { scenario.params = scenarioParams(params) }
        if let steps = map["steps"] { scenario.steps = outcomes(steps) }
        return scenario
    }

    private mutating func scenarioParams(_ node: YAML.Node) -> [(name: Located<String>, value: String)] {
        guard let pairs = node.mapping else {
            if !node.isNull { report("params must be a mapping, found \(node.kindDescription)", at: node.start) }
            return []
        }
        return pairs.compactMap { pair in
            guard let name = identifier(pair.key, pattern: .name, what: "param name") else { return nil }
            // A list param's value: a sequence, given on as a JSON array (as `-p NAME=[...]` would be).
            if pair.value.sequence != nil {
                let items = list(pair.value, what: "param '\(name.value)'").compactMap { string($0) }
                return (name, ParamValue.list(items).description)
            }
            guard let value = string(pair.value) else { return nil }
            return (name, value)
        }
    }

    private mutating func outcomes(_ node: YAML.Node) -> [(id: Located<String>, outcome: Scenario.Outcome)] {
        guard let pairs = node.mapping else {
            if !node.isNull { report("steps must be a mapping, found \(node.kindDescription)", at: node.start) }
            return []
        }
        return pairs.compactMap { pair in
            guard let id = string(pair.key) else { return nil }
            guard
                let map = MappingReader(
                    pair.value, what: "step '\(id)'", allowed: Self.outcomeKeys, diagnostics: &diagnostics)
            else { return nil }
            var outcome = Scenario.Outcome()
            if let n = map["exit_code"], let code = int(n) {
                if (0...255).contains(code) {
                    outcome.exitCode = Int32(code)
                } else {
                    report("exit_code must be between 0 and 255", at: n.start)
                }
            }
            outcome.stdout = map["stdout"].flatMap { string($0) } ?? ""
            outcome.stderr = map["stderr"].flatMap { string($0) } ?? ""
            if let d = map["duration"].flatMap({ duration($0) }) { outcome.duration = d.value }
            outcome.option = map["option"].flatMap { n in string(n).map { Located($0, at: n.start) } }
            outcome.answer = map["answer"].flatMap { answer($0) }
            outcome.definition = map["definition"].flatMap { n in string(n).map { Located($0, at: n.start) } }
            return (Located(id, at: pair.key.start), outcome)
        }
    }

    /// `yes`/`no`, `true`/`false`, or the text typed for a phrase.
    private mutating func answer(_ node: YAML.Node) -> Located<Scenario.Answer>? {
        guard let text = string(node) else { return nil }
        switch text.lowercased() {
        case "yes", "true", "y": return Located(.yes, at: node.start)
        case "no", "false", "n": return Located(.no, at: node.start)
        default: return Located(.typed(text), at: node.start)
        }
    }

    private mutating func expectation(_ node: YAML.Node) -> Scenario.Expectation? {
        guard let map = MappingReader(node, what: "expect", allowed: Self.expectKeys, diagnostics: &diagnostics)
        else { return nil }
        let known = "one of \(Scenario.outcomes.joined(separator: ", "))"
        guard let outcomeNode = map.require("outcome", what: "expect", hint: known, diagnostics: &diagnostics),
            let outcome = string(outcomeNode)
        else { return nil }
        if !Scenario.outcomes.contains(outcome) {
            report(
                "unknown outcome '\(outcome)'", at: outcomeNode.start,
                hint: Suggestion.hint(for: outcome, in: Scenario.outcomes)
                    ?? "one of \(Scenario.outcomes.joined(separator: ", "))")
        }
        var expectation = Scenario.Expectation(outcome: Located(outcome, at: outcomeNode.start))
        let pathHint = "list the step ids in the order they run"
        if let pathNode = map.require("path", what: "expect", hint: pathHint, diagnostics: &diagnostics) {
            expectation.path = ids(pathNode, what: "path")
        }
        if let skipped = map["skipped"] { expectation.skipped = ids(skipped, what: "skipped") }
        return expectation
    }

    private mutating func ids(_ node: YAML.Node, what: String) -> [Located<String>] {
        list(node, what: what).compactMap { item in string(item).map { Located($0, at: item.start) } }
    }
}
