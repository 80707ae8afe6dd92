import RunbookDiagnostics
import RunbookYAML

/// A `--params-file`: a YAML mapping of param names to single values, each with its position.
package struct ParamsFile: Sendable {
    /// One `NAME: VALUE` entry as written.
    package struct Entry: Sendable {
        package var name: String
        package var nameLocation: SourceLocation
        package var text: String
        package var location: SourceLocation
    }

    package var entries: [Entry] = []
    package var diagnostics: [Diagnostic] = []

    /// Reads and decodes the file; every problem is a diagnostic, none is thrown.
    package init(path: String) {
        let parsed = YAML.load(path: path)
        diagnostics = parsed.diagnostics
        guard let root = parsed.root else { return }
        guard let pairs = root.mapping else {
            diagnostics.append(.error("a params file is a mapping of NAME: VALUE", at: root.start))
            return
        }
        for pair in pairs {
            guard let name = pair.key.scalar?.value else { continue }
            guard let scalar = pair.value.scalar else {
                diagnostics.append(
                    .error(
                        "param '\(name)' needs a single value, found \(pair.value.kindDescription)",
                        at: pair.value.start))
                continue
            }
            entries.append(
                Entry(name: name, nameLocation: pair.key.start, text: scalar.value, location: pair.value.start))
        }
    }
}
