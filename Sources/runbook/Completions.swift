import ArgumentParser
import RunbookGraph
import RunbookPlaybook

/// What the shell completions (`runbook --generate-completion-script bash|zsh|fish`) offer
/// beyond option names: playbook ids, a playbook's params after `-p`, its `choose` steps and
/// options after `--choose`. The shell asks the binary itself, with the words typed so far.
enum Completions {
    /// Playbook ids of the search path (README: "Running a playbook").
    static let playbooks = CompletionKind.custom { _, _, prefix in
        PlaybookLibrary.standard().knownIDs().filter { $0.hasPrefix(prefix) }
    }

    /// `NAME=` for each param of the playbook named on the command line.
    static let params = CompletionKind.custom { words, index, prefix in
        guard let graph = playbook(in: words, before: index) else { return [] }
        return graph.playbook.params.map { "\($0.name)=" }.filter { $0.hasPrefix(prefix) }
    }

    /// `STEP=OPTION` for each option of each `choose` step of the playbook on the command line.
    static let choices = CompletionKind.custom { words, index, prefix in
        guard let graph = playbook(in: words, before: index) else { return [] }
        var pairs: [String] = []
        for node in graph.allSteps {
            if case .choose(let options) = node.body {
                pairs += options.map { "\(node.id)=\($0.option.name.value)" }
            }
        }
        return pairs.filter { $0.hasPrefix(prefix) }
    }

    /// The playbook the command line names: the first word after the subcommand that is not an
    /// option or an option's value.
    private static func playbook(in words: [String], before index: Int) -> StepGraph? {
        let takesValue: Set<String> = ["-p", "--params-file", "--choose", "--audit-dir", "--scenario", "--format"]
        var k = 2  // runbook SUBCOMMAND …
        while k < words.count {
            let word = words[k]
            if k != index, !word.hasPrefix("-") {
                let loader = PlaybookLoader(library: .standard())
                guard case .success(let path) = loader.resolve(word) else { return nil }
                return loader.load(path: path).graph
            }
            k += takesValue.contains(word) ? 2 : 1
        }
        return nil
    }
}
