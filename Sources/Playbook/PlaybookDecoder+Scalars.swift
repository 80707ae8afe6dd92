import RunbookBasics
import RunbookDiagnostics
import RunbookYAML

/// Typed reads of scalar and list nodes; each wrong type is reported at the node.
extension PlaybookDecoder {
    /// Identifier syntaxes of SPEC §1 and §1.2.
    enum IdentifierPattern {
        case playbookID, stepID, optionName, name

        func matches(_ s: String) -> Bool {
            // Read as bytes: every character the patterns admit is ASCII, so a byte beyond
            // ASCII (any part of another character) fails as its character would.
            let bytes = s.utf8
            guard let first = bytes.first else { return false }
            func lower(_ b: UInt8) -> Bool { b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z") }
            func upper(_ b: UInt8) -> Bool { b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") }
            func digit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
            let (dash, underscore) = (UInt8(ascii: "-"), UInt8(ascii: "_"))
            switch self {
            case .playbookID:
                return (lower(first) || digit(first)) && bytes.allSatisfy { lower($0) || digit($0) || $0 == dash }
            case .stepID:
                return lower(first) && bytes.allSatisfy { lower($0) || digit($0) || $0 == underscore }
            case .optionName:
                return lower(first) && bytes.allSatisfy { lower($0) || digit($0) || $0 == underscore || $0 == dash }
            case .name:
                return (lower(first) || upper(first) || first == underscore)
                    && bytes.allSatisfy { lower($0) || upper($0) || digit($0) || $0 == underscore }
            }
        }

        var syntax: String {
            switch self {
            case .playbookID: return "[a-z0-9][a-z0-9-]*"
            case .stepID: return "[a-z][a-z0-9_]*"
            case .optionName: return "[a-z][a-z0-9_-]*"
            case .name: return "[A-Za-z_][A-Za-z0-9_]*"
            }
        }
    }

    mutating func text(_ node: YAML.Node) -> SourceText? {
        guard let scalar = node.scalar, !node.isNull else {
            report("expected a string, found \(node.kindDescription)", at: node.start)
            return nil
        }
        return SourceText(scalar.value, positions: scalar.positions)
    }

    mutating func string(_ node: YAML.Node) -> String? {
        text(node)?.value
    }

    mutating func int(_ node: YAML.Node) -> Int? {
        guard let s = node.scalar, s.style == .plain, let value = Int(s.value) else {
            report("expected an integer, found \(node.kindDescription)", at: node.start)
            return nil
        }
        return value
    }

    mutating func number(_ node: YAML.Node) -> Double? {
        guard let s = node.scalar, s.style == .plain, let value = Double(s.value), value.isFinite else {
            report("expected a number, found \(node.kindDescription)", at: node.start)
            return nil
        }
        return value
    }

    mutating func bool(_ node: YAML.Node) -> Bool? {
        guard let s = node.scalar, s.style == .plain, let value = YAML.resolveBool(s.value) else {
            let found = node.scalar.map { "'\($0.value)'" } ?? node.kindDescription
            report(
                "expected true or false, found \(found)", at: node.start,
                hint: ["yes", "no", "on", "off", "y", "n"].contains(node.scalarValue?.lowercased() ?? "")
                    ? "playbooks follow YAML 1.2: write true or false" : nil)
            return nil
        }
        return value
    }

    mutating func duration(_ node: YAML.Node) -> Located<TimeSpan>? {
        guard let s = node.scalar, !node.isNull, let value = TimeSpan(parsing: s.value) else {
            let found = node.scalar.map { "'\($0.value)'" } ?? node.kindDescription
            report(
                "expected a duration, found \(found)", at: node.start,
                hint: "write a number with a unit: 500ms, 30s, 5m, 2h, or combinations like 1m30s")
            return nil
        }
        return Located(value, at: node.start)
    }

    mutating func identifier(_ node: YAML.Node, pattern: IdentifierPattern, what: String) -> Located<String>? {
        guard let value = string(node) else { return nil }
        guard pattern.matches(value) else {
            report("invalid \(what) '\(value)'", at: node.start, hint: "\(what)s match \(pattern.syntax)")
            return nil
        }
        return Located(value, at: node.start)
    }

    /// A list node's items; a single scalar is not silently promoted to a list.
    mutating func list(_ node: YAML.Node, what: String) -> [YAML.Node] {
        guard let items = node.sequence else {
            if node.isNull { return [] }
            report("\(what) must be a list, found \(node.kindDescription)", at: node.start)
            return []
        }
        return items
    }

    mutating func stringList(_ node: YAML.Node, what: String) -> [String] {
        list(node, what: what).compactMap { string($0) }
    }

    /// A mapping of names to template or expression text (env, outputs, with).
    mutating func namedTexts(_ node: YAML.Node, what: String, names: IdentifierPattern) -> [NamedText] {
        guard let pairs = node.mapping else {
            report("\(what) must be a mapping, found \(node.kindDescription)", at: node.start)
            return []
        }
        return pairs.compactMap { pair in
            guard let name = identifier(pair.key, pattern: names, what: "name in \(what)"),
                let value = text(pair.value)
            else { return nil }
            return NamedText(name: name, text: value)
        }
    }
}
