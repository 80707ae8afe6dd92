import RunbookDiagnostics
import RunbookYAML

/// Steps of a long playbook decoded while its file is still being parsed (`YAML.ItemWork`).
///
/// A large file is parsed by libyaml on another thread, which the composing thread mostly
/// waits for. Decoding a step needs nothing but its node and the file's name, so the items of
/// the phase lists are decoded one at a time in those waits; decoding the playbook then takes
/// each step whose node is the very node decoded here, with its findings, and decodes the rest.
/// Unchecked: written on the composing thread during the parse only, read after it has ended.
package final class StepsDecodedAhead: YAML.ItemWork, @unchecked Sendable {
    struct Decoded: Sendable {
        let node: YAML.Node
        let step: Step?
        let diagnostics: [Diagnostic]
    }

    private let file: String
    /// By phase key, in document order: for each phase list, decoded items from its start.
    /// (Exclusivity unchecked: one thread writes it, and only while nothing reads it.)
    @exclusivity(unchecked) private(set) var decoded: [String: [Decoded]] = [:]

    package init(file: String) {
        self.file = file
    }

    package func work(key: String, item: YAML.Node) {
        guard Phase(rawValue: key) != nil else { return }
        var decoder = PlaybookDecoder(file: file)
        let step = decoder.step(item, isRollback: false)
        decoded[key, default: []].append(Decoded(node: item, step: step, diagnostics: decoder.diagnostics))
    }
}
