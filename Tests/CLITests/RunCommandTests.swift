import Foundation
import Glibc
import RunbookTestSupport
import Testing

/// End-to-end runs of the built binary in temporary directories.
@Suite(.serialized) struct RunCommandTests {
    final class Workspace {
        let dir: String
        init(_ playbook: String) throws {
            dir = try CLI.temporaryDirectory()
            try FileManager.default.createDirectory(atPath: dir + "/playbooks", withIntermediateDirectories: true)
            try playbook.write(toFile: dir + "/playbooks/demo.yaml", atomically: true, encoding: .utf8)
        }
        deinit { try? FileManager.default.removeItem(atPath: dir) }

        func run(_ args: [String], withoutTerminal: Bool = true) throws -> CLI.Result {
            try CLI.run(
                ["run", "demo", "--audit-dir", dir + "/audit"] + args, in: dir,
                environment: ["RUNBOOK_LOCK_DIR": dir + "/locks"], withoutTerminal: withoutTerminal)
        }

        func read(_ name: String) -> String { (try? String(contentsOfFile: dir + "/" + name, encoding: .utf8)) ?? "" }
        func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: dir + "/" + name) }
    }

    static let ordered = """
        runbook: 1
        id: demo
        title: Demo
        symptoms:
          - {id: present, run: "echo symptom >> trace"}
        diagnosis:
          - {id: look, run: "echo look >> trace"}
        recovery:
          - {id: fix, run: "echo fix >> trace", rollback: {run: "echo unfix >> trace"}}
          - {id: skipped, run: "echo never >> trace", when: steps.look.exit_code != 0}
        verify:
          - {id: check, run: "echo check >> trace; exit 1"}
        """

    @Test func liveRunExecutesStepsInOrderAndRollsBackOnVerifyFailure() throws {
        let w = try Workspace(Self.ordered)
        let result = try w.run([])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(w.read("trace") == "symptom\nlook\nfix\ncheck\nunfix\n")
        #expect(result.stdout.contains("Outcome: rolled_back, at step check — exit 1"))
        #expect(
            result.stdout.contains(
                "- skipped skipped: guard is false: steps.look.exit_code != 0 (steps.look.exit_code = 0)"))
    }

    @Test func anAbortSaysWhichStepStoppedTheRunAndWhatWasNotRolledBack() throws {
        let w = try Workspace(
            """
            runbook: 1
            id: stop
            title: Stop
            recovery:
              - {id: a, run: echo a >> trace, rollback: {run: echo undo-a >> trace}}
              - {id: b, run: exit 1, on_failure: abort}
            """)
        let result = try w.run(["--yes"])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(w.read("trace") == "a\n")
        #expect(
            result.stderr.contains(
                "warning: 'b' failed with on_failure: abort, which stops without rolling back: these completed steps were not rolled back: a"
            ))
        #expect(!result.stderr.contains("interrupted"))
    }

    @Test func dryRunCreatesNothingAndListsThePlan() throws {
        let w = try Workspace(Self.ordered)
        let result = try w.run(["--dry-run"])
        #expect(result.status == 0)
        #expect(!w.exists("trace"))
        #expect(result.stdout.hasPrefix("DRY RUN — nothing will be executed\n"))
        #expect(result.stdout.contains("$ echo fix >> trace"))
        #expect(result.stdout.contains("rollback: echo unfix >> trace"))
        #expect(result.stdout.contains("when steps.look.exit_code != 0 → undetermined"))
    }

    @Test func dryRunWithProbeNeverRollsBackAndSaysWhatItDidNotProbe() throws {
        let w = try Workspace(
            """
            runbook: 1
            id: demo
            title: Demo
            diagnosis:
              - {id: look, run: echo f, expect: trim(stdout) == "f"}
            recovery:
              - {id: fix, run: touch fixed, rollback: {run: rm -f fixed}}
            verify:
              - {id: check, readonly: true, run: test -f fixed}
            """)
        for probe in [[], ["--probe"]] {
            let result = try w.run(["--dry-run"] + probe)
            #expect(result.status == 0, "\(probe): \(result.stdout)")
            #expect(result.stdout.contains("\nOutcome: planned — exit 0"), "\(probe)")
            #expect(!result.stdout.contains("rollback fix"), "\(probe): a dry-run rolls nothing back")
            #expect(!w.exists("fixed"))
        }
        let probed = try w.run(["--dry-run", "--probe"])
        #expect(probed.stdout.contains("(not probed: it runs after 'fix', which this dry-run does not execute)"))
        #expect(probed.stdout.contains("✔ look ok"))
    }

    @Test func dryRunJSONGivesThePlanAsData() throws {
        let w = try Workspace(Self.ordered)
        let result = try w.run(["--dry-run", "--json"])
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let events = try #require(json?["events"] as? [[String: Any]])
        let planned = events.filter { $0["event"] as? String == "step.end" }.map { $0["status"] as? String }
        #expect(planned.allSatisfy { $0 == "planned" })
        #expect(events.first?["mode"] as? String == "dry-run")
    }

    @Test func runThatNeedsAnOperatorIsRefusedWithoutATerminal() throws {
        let w = try Workspace(
            """
            runbook: 1
            id: demo
            title: Demo
            recovery:
              - {id: first, run: "echo first >> trace"}
              - {id: wipe, run: "echo wipe >> trace", confirm: Wipe?}
              - {id: hand, manual: Check the dashboard}
            """)
        let result = try w.run([])
        #expect(result.status == 2)
        #expect(!w.exists("trace"))
        #expect(
            result.stderr.contains(
                "error: this run needs an operator at a terminal, and there is none: 'wipe' asks for confirmation; 'hand' is a manual step"
            ))
        let withYes = try w.run(["--yes"])
        #expect(withYes.status == 2, "--yes does not do manual work")
        #expect(withYes.stderr.contains("'hand' is a manual step"))
    }

    @Test func stepsThatCannotBeReachedNeedNoOperator() throws {
        let w = try Workspace(
            """
            runbook: 1
            id: demo
            title: Demo
            params:
              mode: {type: string, default: auto, choices: [auto, manual]}
            recovery:
              - {id: first, run: "echo first >> trace"}
              - {id: by_hand, manual: Restart it by hand, when: params.mode == "manual"}
              - id: how
                default: restart
                choose:
                  restart: {steps: [{id: restart, run: "echo restart >> trace"}]}
                  escalate: {steps: [{id: page, manual: Page the DBA}]}
              - id: later
                when: steps.first.ok
                run: "echo later >> trace"
            """)
        let result = try w.run([])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(w.read("trace") == "first\nrestart\nlater\n")
        let escalate = try w.run(["--choose", "how=escalate"])
        #expect(escalate.status == 2)
        #expect(escalate.stderr.contains("there is none: 'page' is a manual step"))
        let manual = try w.run(["-p", "mode=manual"])
        #expect(manual.status == 2)
        #expect(manual.stderr.contains("there is none: 'by_hand' is a manual step"))
    }

    @Test func aMistypedChooseIsRefusedBeforeAnyStep() throws {
        let w = try Workspace(
            """
            runbook: 1
            id: demo
            title: Demo
            recovery:
              - {id: prep, run: "echo prep >> trace"}
              - id: how
                default: systemd
                choose:
                  systemd: {steps: [{id: restart, run: "echo restart >> trace"}]}
                  graceful: {steps: [{id: drain, run: "echo drain >> trace"}]}
            """)
        let option = try w.run(["--choose", "how=sytemd"])
        #expect(option.status == 2)
        #expect(option.stderr.contains("error: --choose how=sytemd: 'how' has no option 'sytemd'"))
        #expect(option.stderr.contains("help: did you mean 'systemd'?"))
        let step = try w.run(["--choose", "hwo=graceful"])
        #expect(step.status == 2)
        #expect(step.stderr.contains("error: --choose hwo=graceful: no choose step 'hwo'"))
        #expect(!w.exists("trace"), "nothing ran")
    }

    @Test func yesApprovesConfirmationsAndRecordsIt() throws {
        let w = try Workspace(
            """
            runbook: 1
            id: demo
            title: Demo
            recovery:
              - {id: wipe, run: "echo wipe >> trace", confirm: {prompt: Wipe?, phrase: wipe it}}
            """)
        let result = try w.run(["--yes"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(w.read("trace") == "wipe\n")
        #expect(w.read("audit/audit.jsonl").contains("\"approved_by\":\"--yes\""))
    }

    @Test func timeoutKillsTheStepsGrandchildren() throws {
        let w = try Workspace(
            """
            runbook: 1
            id: demo
            title: Demo
            diagnosis:
              - id: hang
                run: "sleep 300 & echo $! > bg.pid; sleep 300"
                timeout: 1s
            """)
        let started = Date()
        let result = try w.run([])
        #expect(result.status == 0, "diagnosis failures continue")
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(result.stdout.contains("✘ hang timed_out"))
        let pid = try #require(Int32(w.read("bg.pid").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(Self.isGone(pid), "background child \(pid) survived the timeout")
    }

    @Test func backgroundChildrenDoNotOutliveANormalStep() throws {
        let w = try Workspace(
            """
            runbook: 1
            id: demo
            title: Demo
            diagnosis:
              - {id: spawn, run: "sleep 300 > /dev/null 2>&1 & echo $! > bg.pid"}
            """)
        let started = Date()
        let result = try w.run([])
        #expect(result.status == 0)
        #expect(Date().timeIntervalSince(started) < 10)
        let pid = try #require(Int32(w.read("bg.pid").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(Self.isGone(pid))
    }

    @Test(arguments: [
        "it's", "$(touch pwned)", "`touch pwned`", "a; touch pwned", "a | touch pwned", "*", "$HOME", "line\nbreak",
        "back\\slash", "",
    ])
    func injectionPayloadsInParamsStayLiteral(payload: String) throws {
        let w = try Workspace(
            """
            runbook: 1
            id: demo
            title: Demo
            params: {value: {type: string}}
            diagnosis:
              - {id: echo, run: "printf %s {{ params.value }} > out"}
            """)
        let result = try w.run(["-p", "value=\(payload)"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(w.read("out") == payload)
        #expect(!w.exists("pwned"))
    }

    @Test func missingAndInvalidParamsAreListedTogetherAndNothingRuns() throws {
        let w = try Workspace(
            """
            runbook: 1
            id: demo
            title: Demo
            params:
              service: {type: string}
              target: {type: int, max: 10}
            recovery:
              - {id: fix, run: "echo fix {{ params.service }} {{ params.target }} >> trace"}
            """)
        let result = try w.run(["-p", "target=50"])
        #expect(result.status == 2)
        #expect(!w.exists("trace"))
        #expect(
            result.stderr == """
                command line: error: param 'target' must be at most 10 (got 50)
                command line: error: missing required param 'service'
                  help: pass -p service=VALUE

                """)
    }

    @Test func noSymptomPresentEndsTheRunWithZeroUnlessForced() throws {
        let w = try Workspace(
            """
            runbook: 1
            id: demo
            title: Demo
            symptoms:
              - {id: hot, run: "echo 10", expect: number(stdout) > 80}
            recovery:
              - {id: fix, run: "echo fix >> trace"}
            """)
        let calm = try w.run([])
        #expect(calm.status == 0)
        #expect(calm.stdout.contains("note: no symptom present"))
        #expect(!w.exists("trace"))
        let forced = try w.run(["--force"])
        #expect(forced.status == 0)
        #expect(w.read("trace") == "fix\n")
    }

    static func isGone(_ pid: Int32) -> Bool {
        for _ in 0..<50 {
            if kill(pid, 0) != 0 && errno == ESRCH { return true }
            // A zombie waiting for init to reap it is gone as far as running goes.
            if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                stat.split(separator: ")").last?.split(separator: " ").first == "Z"
            {
                return true
            }
            usleep(100_000)
        }
        return false
    }
}
