import RunbookDiagnostics
import RunbookYAML

/// Decoding of each step's one action key (SPEC §1.2).
extension PlaybookDecoder {
    mutating func action(_ map: MappingReader, isRollback: Bool) -> Action? {
        let keys = map.present(Action.keys)
        guard let key = keys.first else {
            report(
                "the step has no action", at: map.node.start,
                hint: "add exactly one of: \(Action.keys.joined(separator: ", "))")
            return nil
        }
        if keys.count > 1 {
            report(
                "the step has more than one action ('\(keys[0])' and '\(keys[1])')", at: map.keyLocation(keys[1])!,
                hint: "split it into two steps, or group them under 'steps:'")
        }
        if map.has("default"), key != "choose" {
            report("'default' belongs to a 'choose' step", at: map.keyLocation("default")!)
        }
        if map.has("with"), key != "include" {
            report("'with' belongs to an 'include' step", at: map.keyLocation("with")!)
        }
        if isRollback, ["choose", "include", "steps"].contains(key) {
            report(
                "a rollback action cannot '\(key)'", at: map.keyLocation(key)!,
                hint: "rollback actions are run, manual, wait or assert; give a list for several")
            return nil
        }
        let node = map[key]!
        switch key {
        case "run": return command(node).map(Action.run)
        case "manual": return text(node).map(Action.manual)
        case "wait": return duration(node).map(Action.wait)
        case "assert": return text(node).map(Action.assert)
        case "steps": return .group(steps(node, what: "steps"))
        case "choose": return choice(node, defaultNode: map["default"]).map(Action.choose)
        default: return include(node, with: map["with"]).map(Action.include)
        }
    }

    private mutating func command(_ node: YAML.Node) -> Command? {
        if let items = node.sequence {
            guard !items.isEmpty else {
                report("an argv list needs at least the program to run", at: node.start)
                return nil
            }
            let argv = items.compactMap { text($0) }
            return argv.count == items.count ? .argv(argv) : nil
        }
        guard let command = text(node) else { return nil }
        // A printable ASCII first byte settles it without reading characters.
        let printable = command.value.utf8.first.map { (0x21..<0x7F).contains($0) } ?? false
        if !printable, command.value.allSatisfy(\.isWhitespace) {
            report("the command is empty", at: node.start)
            return nil
        }
        return .shell(command)
    }

    private mutating func choice(_ node: YAML.Node, defaultNode: YAML.Node?) -> Choice? {
        guard let pairs = node.mapping, !pairs.isEmpty else {
            report(
                "choose must be a mapping of options, found \(node.kindDescription)", at: node.start,
                hint: "write choose: {NAME: {title: ..., steps: [...]}}")
            return nil
        }
        let options = pairs.compactMap { pair -> Choice.Option? in
            guard let name = identifier(pair.key, pattern: .optionName, what: "option name"),
                let map = MappingReader(
                    pair.value, what: "option '\(name.value)'", allowed: ["title", "when", "steps"],
                    diagnostics: &diagnostics)
            else { return nil }
            let steps =
                map.require("steps", what: "option '\(name.value)'", diagnostics: &diagnostics)
                .map { self.steps($0, what: "steps") } ?? []
            return Choice.Option(
                name: name, title: map["title"].flatMap { text($0) }, when: map["when"].flatMap { text($0) },
                steps: steps)
        }
        var defaultOption: Located<String>?
        if let defaultNode, let name = string(defaultNode) {
            defaultOption = Located(name, at: defaultNode.start)
            if !options.contains(where: { $0.name.value == name }) {
                report(
                    "default option '\(name)' is not one of the options", at: defaultNode.start,
                    hint: Suggestion.hint(for: name, in: options.map(\.name.value))
                        ?? "options: \(options.map(\.name.value).joined(separator: ", "))")
            }
        }
        return Choice(options: options, defaultOption: defaultOption)
    }

    private mutating func include(_ node: YAML.Node, with: YAML.Node?) -> Include? {
        guard let id = identifier(node, pattern: .playbookID, what: "playbook id") else { return nil }
        let bindings = with.map { namedTexts($0, what: "with", names: .name) } ?? []
        return Include(playbook: id, with: bindings)
    }
}
