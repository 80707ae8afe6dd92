import Foundation
import RunbookTestSupport
import Testing

/// SPEC §4: usage errors exit 2, like every other invalid input, and read like every other error.
@Suite struct UsageErrorTests {
    @Test(arguments: [
        (["bogus"], "runbook: error: unknown command 'bogus'"),
        (["shwo", "high-cpu"], "runbook: error: unknown command 'shwo'"),
        (["run", "high-cpu", "--frobnicate"], "runbook: error: Unknown option '--frobnicate'"),
        (["report"], "runbook: error: Missing expected argument '<run-id>'"),
        (["run", "--probe", "high-cpu"], "runbook: error: --probe only makes sense with --dry-run"),
        (["run", "high-cpu", "--choose", "pick"], "runbook: error: --choose takes STEP=OPTION, got 'pick'"),
        (["audit", "verify", "--expect-head", "12"], "runbook: error: --expect-head takes SEQ:HASH"),
    ])
    func usageErrorsExitTwoWithTheUsageLine(arguments: [String], first: String) throws {
        let result = try CLI.run(arguments)
        #expect(result.status == 2)
        #expect(result.stdout == "")
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first == first)
        #expect(lines.contains { $0.hasPrefix("Usage: runbook") })
    }

    @Test func aMistypedCommandGetsDidYouMean() throws {
        let result = try CLI.run(["shwo", "high-cpu"])
        #expect(result.stderr.contains("  help: did you mean 'show'?"), "\(result.stderr)")
        let none = try CLI.run(["zzzzzz"])
        #expect(none.stderr.contains("  help: the commands are list, show, graph, new,"), "\(none.stderr)")
    }

    @Test func helpAndVersionExitZeroOnStdout() throws {
        for arguments in [["--help"], ["run", "--help"], ["--version"]] {
            let result = try CLI.run(arguments)
            #expect(result.status == 0, "\(arguments)")
            #expect(!result.stdout.isEmpty, "\(arguments)")
            #expect(result.stderr == "", "\(arguments)")
        }
    }

    /// Under --json every diagnostic is a JSON object per line on stderr; stdout stays empty.
    @Test(arguments: [
        (["run", "no-such-playbook", "--json"], "no-such-playbook", 0, "no playbook with id 'no-such-playbook'"),
        (["run", "--json", "--frobnicate", "x"], "runbook", 0, "Unknown option '--frobnicate'"),
        (
            ["show", "invalid/bad-choose-default.yaml", "--json"], "invalid/bad-choose-default.yaml", 11,
            "default option 'restrat' is not one of the options"
        ),
    ])
    func errorsUnderJSONAreJSONLines(arguments: [String], file: String, line: Int, message: String) throws {
        let result = try CLI.run(arguments)
        #expect(result.status == 2)
        #expect(result.stdout == "")
        let lines = result.stderr.split(separator: "\n")
        let first = try #require(lines.first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        #expect(object["severity"] as? String == "error")
        #expect((object["file"] as? String)?.hasSuffix(file) == true, "\(object)")
        #expect(object["line"] as? Int == line)
        #expect(object["message"] as? String == message)
        #expect(object["hint"] is String)
        #expect(Set(object.keys).isSubset(of: ["severity", "file", "line", "column", "message", "hint"]))
    }
}
