import RunbookDiagnostics
import RunbookYAML

/// Reads the keys of one YAML mapping, reporting unknown keys with a "did you mean" hint.
struct MappingReader {
    let node: YAML.Node
    private let values: [String: YAML.Node.Pair]

    /// Nil (after reporting) when `node` is not a mapping.
    init?(_ node: YAML.Node, what: String, allowed: [String], diagnostics: inout [Diagnostic]) {
        guard let pairs = node.mapping else {
            diagnostics.append(.error("\(what) must be a mapping, found \(node.kindDescription)", at: node.start))
            return nil
        }
        self.node = node
        var values: [String: YAML.Node.Pair] = [:]
        for pair in pairs {
            guard let key = pair.key.scalar?.value else {
                diagnostics.append(.error("keys of \(what) must be plain names", at: pair.key.start))
                continue
            }
            if allowed.contains(key) {
                values[key] = pair
            } else {
                diagnostics.append(
                    .error(
                        "unknown key '\(key)' in \(what)", at: pair.key.start,
                        hint: Suggestion.hint(for: key, in: allowed)
                            ?? "allowed keys: \(allowed.joined(separator: ", "))"))
            }
        }
        self.values = values
    }

    subscript(key: String) -> YAML.Node? { values[key]?.value }

    /// Where a key was written (for errors about the key itself).
    func keyLocation(_ key: String) -> SourceLocation? { values[key]?.key.start }

    func has(_ key: String) -> Bool { values[key] != nil }

    /// The present keys among `keys`, in document order.
    func present(_ keys: [String]) -> [String] {
        keys.filter { values[$0] != nil }.sorted {
            values[$0]!.key.start < values[$1]!.key.start
        }
    }

    /// Reports a missing required key at the mapping's start.
    func require(_ key: String, what: String, hint: String? = nil, diagnostics: inout [Diagnostic]) -> YAML.Node? {
        if let value = values[key]?.value { return value }
        diagnostics.append(.error("\(what) is missing required key '\(key)'", at: node.start, hint: hint))
        return nil
    }
}
