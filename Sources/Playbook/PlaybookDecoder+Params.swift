import RunbookDiagnostics
import RunbookYAML

/// Decoding of the `params:` section (SPEC §1.5).
extension PlaybookDecoder {
    static let paramKeys = [
        "type", "default", "required", "pattern", "min", "max", "min_items", "max_items", "choices", "secret", "env",
        "description",
    ]

    mutating func params(_ node: YAML.Node) -> [Param] {
        guard let pairs = node.mapping else {
            if !node.isNull { report("params must be a mapping, found \(node.kindDescription)", at: node.start) }
            return []
        }
        return pairs.compactMap { pair in
            guard let name = identifier(pair.key, pattern: .name, what: "param name") else { return nil }
            return param(name, pair.value)
        }
    }

    private mutating func param(_ name: Located<String>, _ node: YAML.Node) -> Param? {
        guard
            let map = MappingReader(
                node, what: "param '\(name.value)'", allowed: Self.paramKeys, diagnostics: &diagnostics)
        else { return nil }
        var kind = Param.Kind.string
        if let typeNode = map["type"], let t = string(typeNode) {
            guard let k = Param.Kind(rawValue: t) else {
                report(
                    "unknown param type '\(t)'", at: typeNode.start,
                    hint: Suggestion.hint(for: t, in: Param.Kind.allCases.map(\.rawValue))
                        ?? "use string, int, number, bool, duration or list")
                return nil
            }
            kind = k
        }
        var param = Param(name: name.value, location: name.location, kind: kind)
        param.defaultValue = map["default"].flatMap { value($0, as: kind, param: name.value) }
        param.required = map["required"].flatMap { bool($0) } ?? (param.defaultValue == nil)
        param.secret = map["secret"].flatMap { bool($0) } ?? false
        param.env = map["env"].flatMap { identifier($0, pattern: .name, what: "environment variable name")?.value }
        param.description = map["description"].flatMap { string($0) }
        // A list's choices are the values each item may take.
        let itemKind = kind == .list ? Param.Kind.string : kind
        param.choices = map["choices"].map { node in
            list(node, what: "choices").compactMap { value($0, as: itemKind, param: name.value) }
        }
        decodeBounds(map, into: &param)
        decodeItemBounds(map, into: &param)
        if let node = map["pattern"], let pattern = string(node) {
            decodePattern(pattern, at: node, into: &param)
        }
        checkDefault(of: param, map: map)
        return param
    }

    private mutating func decodeBounds(_ map: MappingReader, into param: inout Param) {
        for key in ["min", "max"] {
            guard let node = map[key] else { continue }
            guard [.int, .number, .duration].contains(param.kind) else {
                report(
                    "'\(key)' applies to int, number and duration params, not \(param.kind.rawValue)",
                    at: map.keyLocation(key)!)
                continue
            }
            let bound: Double?
            if param.kind == .duration {
                bound = duration(node)?.value.seconds
            } else {
                bound = number(node)
            }
            if key == "min" { param.min = bound } else { param.max = bound }
        }
        if let min = param.min, let max = param.max, min > max {
            report("'min' is greater than 'max'", at: map.keyLocation("min")!)
        }
    }

    private mutating func decodeItemBounds(_ map: MappingReader, into param: inout Param) {
        for key in ["min_items", "max_items"] {
            guard let node = map[key] else { continue }
            guard param.kind == .list else {
                report(
                    "'\(key)' applies to list params, not \(param.kind.rawValue)", at: map.keyLocation(key)!,
                    hint: param.kind == .string ? "declare type: list" : nil)
                continue
            }
            guard let bound = number(node) else { continue }
            guard bound >= 0, bound == bound.rounded(.towardZero), bound <= Double(Int32.max) else {
                report("'\(key)' must be a whole number of items, 0 or more", at: node.start)
                continue
            }
            if key == "min_items" { param.minItems = Int(bound) } else { param.maxItems = Int(bound) }
        }
        if let min = param.minItems, let max = param.maxItems, min > max {
            report("'min_items' is greater than 'max_items'", at: map.keyLocation("min_items")!)
        }
    }

    private mutating func decodePattern(_ pattern: String, at node: YAML.Node, into param: inout Param) {
        guard param.kind == .string || param.kind == .list else {
            report("'pattern' applies to string and list params, not \(param.kind.rawValue)", at: node.start)
            return
        }
        if let problem = RegexCheck.problem(in: pattern) {
            report("invalid pattern: \(problem)", at: node.start)
            return
        }
        param.pattern = Located(pattern, at: node.start)
    }

    /// A default must itself satisfy the param's constraints, or every run would start broken.
    private mutating func checkDefault(of param: Param, map: MappingReader) {
        guard let value = param.defaultValue, let node = map["default"] else { return }
        if let problem = param.problem(with: value) {
            report("default of param '\(param.name)' \(problem)", at: node.start)
        }
    }

    /// A param value from YAML, checked against the declared type.
    mutating func value(_ node: YAML.Node, as kind: Param.Kind, param: String) -> ParamValue? {
        if kind == .list {
            guard node.sequence != nil else {
                report(
                    "expected a list for param '\(param)', found \(node.kindDescription)", at: node.start,
                    hint: "write a sequence: [a, b], or [] for none")
                return nil
            }
            let items = list(node, what: "items of param '\(param)'").map { value($0, as: .string, param: param) }
            guard !items.contains(nil) else { return nil }
            return .list(items.compactMap { $0?.description })
        }
        guard let scalar = node.scalar, !node.isNull else {
            report(
                "expected a \(kind.rawValue) value for param '\(param)', found \(node.kindDescription)",
                at: node.start)
            return nil
        }
        // A quoted "5" is still text; only plain scalars resolve to numbers and booleans.
        if kind != .string, kind != .duration, scalar.style != .plain {
            report("expected a \(kind.rawValue) value for param '\(param)', found a string", at: node.start)
            return nil
        }
        guard let value = ParamValue(parsing: scalar.value, as: kind) else {
            report("'\(scalar.value)' is not a valid \(kind.rawValue) for param '\(param)'", at: node.start)
            return nil
        }
        return value
    }
}
