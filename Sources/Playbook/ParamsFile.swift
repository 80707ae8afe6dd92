import RunbookDiagnostics
import RunbookYAML

/// A `--params-file`: a YAML mapping of param names to values (a scalar, or a sequence of
/// scalars for a `list` param), each with its position.
package struct ParamsFile: Sendable {
    /// One `NAME: VALUE` entry as written.
    package struct Entry: Sendable {
        package var name: String
        package var nameLocation: SourceLocation
        package var text: String
        /// The items of a value written as a sequence; nil for a scalar.
        package var items: [String]?
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
            guard let name = pair.key.scalarValue else { continue }
            if let sequence = pair.value.sequence {
                let scalars = sequence.compactMap(\.scalar)
                guard scalars.count == sequence.count, !sequence.contains(where: \.isNull) else {
                    let bad = sequence.first { $0.scalar == nil || $0.isNull }!
                    diagnostics.append(
                        .error(
                            "each item of param '\(name)' is a single value, found \(bad.kindDescription)",
                            at: bad.start))
                    continue
                }
                let items = scalars.map(\.value)
                entries.append(
                    Entry(
                        name: name, nameLocation: pair.key.start, text: ParamValue.list(items).description,
                        items: items, location: pair.value.start))
                continue
            }
            guard let scalar = pair.value.scalar else {
                diagnostics.append(
                    .error(
                        "param '\(name)' needs a single value or a list, found \(pair.value.kindDescription)",
                        at: pair.value.start))
                continue
            }
            entries.append(
                Entry(name: name, nameLocation: pair.key.start, text: scalar.value, location: pair.value.start))
        }
    }
}
