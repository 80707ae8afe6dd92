import Foundation
import RunbookTestSupport
import Testing

/// What a live run shows besides each step: the closing summary table and, for P1 and P2
/// playbooks, whom to call once the run passes an escalation threshold.
@Suite struct RunDisplayTests {
    @Test func aLiveRunEndsWithASummaryTableOfEveryStep() throws {
        let workspace = try RunCommandTests.Workspace(RunCommandTests.ordered)
        let result = try workspace.run(["--yes"])
        #expect(result.status == 1)
        let text = result.stdout
        let start = try #require(text.range(of: "\nSummary\n"))
        let table = text[start.upperBound...].split(separator: "\n").prefix(7)
        #expect(
            table.map(String.init).map {
                $0.replacingOccurrences(of: #"\d+ms|\d+\.\ds"#, with: "T", options: .regularExpression)
            }
                == [
                    "  STEP            PHASE      STATUS   DURATION",
                    "  present         symptoms   ok       T",
                    "  look            diagnosis  ok       T",
                    "  fix             recovery   ok       T",
                    "  skipped         recovery   skipped  —",
                    "  check           verify     failed   T",
                    "  ↶ fix.rollback  rollback   ok       T",
                ], "\(text)")
        #expect(text.contains("\nOutcome: rolled_back"), "the outcome stays the last word: \(text)")
    }

    @Test func aDryRunHasNoSummaryTable() throws {
        let workspace = try RunCommandTests.Workspace(RunCommandTests.ordered)
        let result = try workspace.run(["--dry-run"])
        #expect(!result.stdout.contains("\nSummary\n"))
    }

    private static func escalating(_ severity: String) -> String {
        """
        runbook: 1
        id: demo
        title: Escalating
        severity: \(severity)
        escalation:
          - {after: 1s, to: Tech Lead, note: phone}
          - {after: 1h, to: Engineering Manager}
        recovery:
          - {id: slow, run: "sleep 1.3"}
          - {id: next, run: "true"}
          - {id: last, run: "true"}
        """
    }

    @Test func aP1RunPastTheThresholdNamesTheContactOnceAndAuditsIt() throws {
        let workspace = try RunCommandTests.Workspace(Self.escalating("P1"))
        let result = try workspace.run(["--yes"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let line = "note: escalate: 1s into the run (P1) — contact Tech Lead (phone)"
        #expect(result.stdout.components(separatedBy: line).count == 2, "once: \(result.stdout)")
        #expect(!result.stdout.contains("Engineering Manager"))
        let audit = workspace.read("audit/audit.jsonl")
        #expect(audit.contains("\"text\":\"escalate: 1s into the run (P1) — contact Tech Lead (phone)\""), "\(audit)")
    }

    @Test func aP3RunIsNotEscalated() throws {
        let workspace = try RunCommandTests.Workspace(Self.escalating("P3"))
        let result = try workspace.run(["--yes"])
        #expect(result.status == 0)
        #expect(!result.stdout.contains("escalate:"), "\(result.stdout)")
    }
}

/// The status line at a terminal (a pseudo-terminal from util-linux `script`).
@Suite struct RunStatusLineTests {
    private static let slow = """
        runbook: 1
        id: demo
        title: Slow
        recovery:
          - {id: slow, run: "echo started; sleep 1.6; echo finished"}
          - {id: quick, run: "echo done"}
        """

    private static let frames = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"

    @Test func aLongStepGetsASpinnerWithElapsedTimesAndItsLastLineAndTheOutputStaysIntact() throws {
        let workspace = try RunCommandTests.Workspace(Self.slow)
        let args = ["run", "demo", "--yes", "--audit-dir", workspace.dir + "/audit"]
        let env = ["RUNBOOK_LOCK_DIR": workspace.dir + "/locks", "TERM": "xterm", "NO_COLOR": ""]
        let atTerminal = try CLI.atTerminal(args, in: workspace.dir, environment: env, answers: [])
        let out = atTerminal.stdout
        let status = try Regex("\r\u{1B}\\[2K[\(Self.frames)] recovery › slow — 1\\.\\ds · run \\d\\.\\ds · started")
        #expect(out.contains(status), "\(out.debugDescription)")
        // Without the status lines, the terminal shows what a plain run prints, line for line.
        let spinner = try Regex("\r\u{1B}\\[2K[\(Self.frames)][^\\r\\n]*")
        // CRLF first: to Swift's Regex "\r\n" is one Character, which [^\r\n] would match.
        let cleaned = out.replacingOccurrences(of: "\r\n", with: "\n").replacing(spinner, with: "")
            .replacingOccurrences(of: "\r\u{1B}[2K", with: "")
        let plain = try CLI.run(args, in: workspace.dir, environment: env).stdout
        func shape(_ text: String) -> [String] {
            text.split(separator: "\n").map {
                $0.replacingOccurrences(of: #"\d+ms|\d+\.\ds|run \S+|head \S+"#, with: "T", options: .regularExpression)
            }
        }
        #expect(shape(cleaned) == shape(plain), "\(cleaned)\n---\n\(plain)")
    }

    @Test func noColorAndADumbTerminalGetNoEscapeCodes() throws {
        let workspace = try RunCommandTests.Workspace(Self.slow)
        let args = ["run", "demo", "--yes", "--audit-dir", workspace.dir + "/audit"]
        for env in [["NO_COLOR": "1", "TERM": "xterm"], ["TERM": "dumb"]] {
            let result = try CLI.atTerminal(
                args, in: workspace.dir,
                environment: env.merging(["RUNBOOK_LOCK_DIR": workspace.dir + "/locks"]) { $1 },
                answers: [])
            #expect(!result.stdout.contains("\u{1B}"), "\(env): \(result.stdout.debugDescription)")
            #expect(result.stdout.contains("Outcome: recovered"))
        }
    }
}

/// Multi-line texts written as YAML blocks, at a terminal: every line indented under its step,
/// and the block's final line break not shown as an empty line.
@Suite struct BlockTextDisplayTests {
    private static let playbook = """
        runbook: 1
        id: blocks
        title: Blocks
        recovery:
          - id: by_hand
            manual: |
              open the console
              press restart
          - id: wipe
            confirm: true
            run: |
              echo one
              echo two
        """

    @Test func aManualStepsInstructionsAndAConfirmedCommandShowEveryLineIndentedAndNoEmptyLast() throws {
        let workspace = try RunCommandTests.Workspace(Self.playbook)
        let args = ["run", "blocks", "--audit-dir", workspace.dir + "/audit"]
        let env = ["RUNBOOK_LOCK_DIR": workspace.dir + "/locks", "NO_COLOR": "1", "TERM": "dumb"]
        let result = try CLI.atTerminal(
            args, in: workspace.dir, environment: env,
            answers: [(after: "Type 'done'", type: "done"), (after: "echo two", type: "no")])
        let out = result.stdout
        #expect(out.contains("    open the console\n    press restart\n  Type 'done'"), "\(out.debugDescription)")
        #expect(out.contains("    echo one\n    echo two\n  "), "\(out.debugDescription)")
        #expect(!out.contains("echo two\n\n"), "\(out.debugDescription)")
        #expect(result.status == 3, "declined")
    }
}
