import RunbookDiagnostics
import RunbookGraph
import RunbookPlaybook
import RunbookYAML

/// Playbooks written inline in tests, decoded and compiled with other inline playbooks as the library.
package enum InlinePlaybooks {
    package struct DecodeFailed: Error, CustomStringConvertible {
        package var description: String
    }

    package static func decode(_ yaml: String, file: String = "main.yaml") throws -> Playbook {
        guard let root = YAML.parse(yaml, file: file).root else { throw DecodeFailed(description: "not YAML: \(yaml)") }
        var decoder = PlaybookDecoder(file: file)
        guard let playbook = decoder.decode(root) else { throw DecodeFailed(description: "\(decoder.diagnostics)") }
        return playbook
    }

    /// Compiles `yaml`, resolving includes among `others` (id → YAML).
    package static func compile(_ yaml: String, others: [String: String] = [:]) throws
        -> (graph: StepGraph?, diagnostics: [Diagnostic], playbook: Playbook)
    {
        let playbook = try decode(yaml)
        let compiled = GraphCompiler.compile(
            playbook,
            resolver: { id in
                guard let text = others[id], let root = YAML.parse(text, file: "\(id).yaml").root else { return nil }
                var decoder = PlaybookDecoder(file: "\(id).yaml")
                return (decoder.decode(root), decoder.diagnostics)
            }, knownIDs: { Array(others.keys) })
        return (compiled.graph, compiled.diagnostics, playbook)
    }
}
