import Foundation
import RunbookTestSupport
import Testing

/// The generated completion scripts, exercised in a real bash: the script calls the binary
/// back for playbook ids, params after `-p` and `STEP=OPTION` after `--choose`.
@Suite struct CompletionTests {
    private func complete(_ words: [String], in dir: String) throws -> [String] {
        let script = """
            source <(runbook --generate-completion-script bash)
            COMP_WORDS=(\(words.map { "'\($0)'" }.joined(separator: " ")))
            COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
            COMPREPLY=()
            _runbook "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let path =
            (CLI.binary as NSString).deletingLastPathComponent + ":"
            + (ProcessInfo.processInfo.environment["PATH"] ?? "")
        return try CLI.tool(["/bin/bash", "-c", script], in: dir, environment: ["PATH": path]).stdout
            .split(separator: "\n").map(String.init).sorted()
    }

    @Test func bashCompletesCommandsIdsParamsAndChoices() throws {
        let dir = Fixtures.root.path
        #expect(try complete(["runbook", "sh"], in: dir) == ["show"])
        #expect(try complete(["runbook", "run", "db"], in: dir) == ["db-pool-exhausted", "db-recovery"])
        #expect(try complete(["runbook", "run", "high-cpu", "-p", "serv"], in: dir) == ["service="])
        #expect(
            try complete(["runbook", "run", "--dry-run", "high-cpu", "--choose", "rem"], in: dir)
                == ["remedy=flush", "remedy=restart", "remedy=scale"])
        #expect(try complete(["runbook", "run", "high-cpu", "--dry"], in: dir) == ["--dry-run"])
        #expect(try complete(["runbook", "graph", "high-cpu", "--format", ""], in: dir) == ["dot", "mermaid"])
    }

    @Test func zshAndFishScriptsAskTheBinaryToo() throws {
        for shell in ["zsh", "fish"] {
            let result = try CLI.run(["--generate-completion-script", shell])
            #expect(result.status == 0, "\(shell): \(result.stderr)")
            #expect(result.stdout.contains("---completion run -- -p"), "\(shell) script does not complete params")
            #expect(
                result.stdout.contains("---completion run -- --choose"), "\(shell) script does not complete choices")
        }
    }
}
