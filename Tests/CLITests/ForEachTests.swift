import Foundation
import RunbookBasics
import RunbookTestSupport
import Testing

/// `foreach`: one step's action once per item, each with its own id, records and rollback (README: fan-out).
@Suite(.serialized) struct ForEachTests {
    typealias Workspace = RunCommandTests.Workspace

    /// The audit records of the workspace's runs, as `event step [item]` lines.
    private func steps(_ w: Workspace) -> [String] {
        w.read("audit/audit.jsonl").split(separator: "\n").compactMap { line -> String? in
            guard let record = JSONValue.parse(String(line))?.objectFields,
                let event = record["event"]?.string, event.hasPrefix("step.") || event.hasPrefix("rollback."),
                let step = record["step"]?.string
            else { return nil }
            return [event, step, record["item"]?.string].compactMap { $0 }.joined(separator: " ")
        }
    }

    @Test func eachItemRunsWithItsOwnIdAndRecordsAndArrivesLiterally() throws {
        let w = try Workspace(
            #"""
            runbook: 1
            id: demo
            title: Fan-out
            params:
              pods: {type: list}
            recovery:
              - id: defrag
                foreach: params.pods
                run: 'printf "%s|%s\n" {{ index }} {{ item }} >> trace; echo "{{ item }}" >> trace'
            """#)
        let payloads = ["etcd-0", "$(touch pwned)", "a'b\"c", "x; touch pwned2"]
        let result = try w.run(["--yes"] + payloads.flatMap { ["-p", "pods=\($0)"] })
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(
            w.read("trace")
                == "0|etcd-0\netcd-0\n1|$(touch pwned)\n$(touch pwned)\n2|a'b\"c\na'b\"c\n3|x; touch pwned2\nx; touch pwned2\n"
        )
        #expect(!w.exists("pwned") && !w.exists("pwned2"))
        #expect(
            steps(w) == [
                "step.start defrag",
                "step.start defrag[0] etcd-0", "step.end defrag[0]",
                "step.start defrag[1] $(touch pwned)", "step.end defrag[1]",
                "step.start defrag[2] a'b\"c", "step.end defrag[2]",
                "step.start defrag[3] x; touch pwned2", "step.end defrag[3]",
                "step.end defrag",
            ])
        #expect(result.stdout.contains("▸ defrag[1] ($(touch pwned))  [mutating]"))
        #expect(result.stdout.contains("✔ defrag ok"))
        #expect(result.stdout.contains(": 4 items: 4 ok"))
    }

    static let budgeted = """
        runbook: 1
        id: demo
        title: Budget
        recovery:
          - id: restart
            foreach: [a, bad1, b, bad2, c, d]
            max_failures: MAX
            run: 'echo {{ item }} >> trace; case {{ item }} in bad*) exit 1;; esac'
            rollback: {run: 'echo undo {{ item }} >> trace'}
        """

    @Test func failuresWithinTheBudgetAreReportedAndTheStepSucceeds() throws {
        let w = try Workspace(Self.budgeted.replacingOccurrences(of: "MAX", with: "2"))
        let result = try w.run(["--yes"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(w.read("trace") == "a\nbad1\nb\nbad2\nc\nd\n")
        #expect(
            result.stdout.contains(
                "6 items: 4 ok, 2 failed (restart[1], restart[3]); within max_failures 2 = 2"))
    }

    @Test func oneFailureMoreThanTheBudgetStopsDispatchAndRollsBackCompletedItemsNewestFirst() throws {
        let w = try Workspace(Self.budgeted.replacingOccurrences(of: "MAX", with: "1"))
        let result = try w.run(["--yes"])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        // bad2 is the second failure: c and d never start; b and a are undone, newest first.
        #expect(w.read("trace") == "a\nbad1\nb\nbad2\nundo b\nundo a\n")
        #expect(steps(w).contains("step.skip restart[4]"))
        #expect(steps(w).contains("step.skip restart[5]"))
        #expect(
            result.stdout.contains(
                "6 items: 2 ok, 2 failed (restart[1], restart[3]), 2 not started; more failed than max_failures 1 = 1 allows"
            ))
        #expect(result.stdout.contains("Outcome: rolled_back, at step restart — exit 1"))
    }

    @Test func withoutABudgetTheFirstFailedItemStopsTheFanOut() throws {
        let w = try Workspace(
            Self.budgeted.replacingOccurrences(of: "    max_failures: MAX\n", with: "    on_failure: continue\n"))
        let result = try w.run(["--yes"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(w.read("trace") == "a\nbad1\n")
        #expect(result.stdout.contains("more failed than max_failures 0 allows"))
    }

    @Test func aPercentageBudgetIsRoundedDown() throws {
        // 40% of 6 items is 2.4: two may fail.
        let w = try Workspace(Self.budgeted.replacingOccurrences(of: "MAX", with: "40%"))
        let result = try w.run(["--yes"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("within max_failures 40% = 2"))
    }

    @Test func aDryRunListsKnownItemsAndSaysWhatUnknownItemsWaitFor() throws {
        let w = try Workspace(
            """
            runbook: 1
            id: demo
            title: Plan
            diagnosis:
              - {id: list, run: 'printf "x\\ny\\n"', readonly: true}
            recovery:
              - {id: known, foreach: [api, worker], run: 'echo restart {{ item }} >> trace'}
              - {id: later, foreach: lines(steps.list.stdout), run: 'echo {{ item }} >> trace'}
            """)
        let plan = try w.run(["--dry-run"])
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
        #expect(!w.exists("trace"))
        #expect(plan.stdout.contains("for each of 2 items: api, worker; stops at the first that fails"))
        #expect(plan.stdout.contains("▸ known[1] (worker)  [mutating]\n            $ echo restart worker >> trace"))
        #expect(
            plan.stdout.contains(
                "(its items are not known yet: foreach reads 'list', which this dry-run did not run)"))
        let probed = try w.run(["--dry-run", "--probe"])
        #expect(probed.stdout.contains("▸ later[1] (y)  [mutating]"), "\(probed.stdout)")
        #expect(!w.exists("trace"))
    }

    @Test func theConfirmationShowsEveryItemOnce() throws {
        let w = try Workspace(
            """
            runbook: 1
            id: demo
            title: Ask
            recovery:
              - {id: drain, foreach: [web-1, web-2], confirm: Drain them?, run: 'echo {{ item }} >> trace'}
            """)
        let result = try CLI.atTerminal(
            ["run", "demo", "--audit-dir", w.dir + "/audit"], in: w.dir,
            environment: ["RUNBOOK_LOCK_DIR": w.dir + "/locks"], answers: [("Drain them?", "y")])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("for each of: web-1, web-2"), "\(result.stdout)")
        #expect(w.read("trace") == "web-1\nweb-2\n")
        let confirmations = w.read("audit/audit.jsonl").split(separator: "\n").filter {
            $0.contains(#""event":"confirm""#)
        }
        #expect(confirmations.count == 1)
        let withoutTerminal = try w.run([])
        #expect(withoutTerminal.status == 2)
        #expect(withoutTerminal.stderr.contains("'drain' asks for confirmation"))
    }

    @Test func confirmEachAsksBeforeEveryItemAndANoStopsTheFanOut() throws {
        let w = try Workspace(
            """
            runbook: 1
            id: demo
            title: Ask each
            recovery:
              - id: drain
                foreach: [web-1, web-2, web-3]
                confirm: {prompt: 'Drain {{ item }}?', each: true}
                run: 'echo {{ item }} >> trace'
            """)
        let result = try CLI.atTerminal(
            ["run", "demo", "--audit-dir", w.dir + "/audit"], in: w.dir,
            environment: ["RUNBOOK_LOCK_DIR": w.dir + "/locks"],
            answers: [("Drain web-1?", "y"), ("Drain web-2?", "n")])
        #expect(result.status == 3, "\(result.stdout)")
        #expect(w.read("trace") == "web-1\n")
        #expect(result.stdout.contains("3 items: 1 ok, 1 declined, 1 not started"))
        #expect(!result.stdout.contains("Drain web-3?"))
        #expect(steps(w).contains("step.skip drain[2]"))
        let answers = w.read("audit/audit.jsonl").split(separator: "\n").filter { $0.contains(#""event":"confirm""#) }
        #expect(answers.count == 2)
        #expect(result.stdout.contains("Outcome: declined"), "\(result.stdout)")
    }

    @Test func validateChecksTheListAndWhereItemIsRead() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
        runbook: 1
        id: bad
        title: Bad
        params:
          host: {default: web-1}
        recovery:
          - {id: a, foreach: params.host, run: 'echo {{ item }}'}
          - {id: b, run: 'echo {{ item }}'}
          - {id: c, foreach: [x], when: item == "x", run: 'true'}
          - {id: d, foreach: [x], steps: [{id: e, run: 'true'}]}
          - {id: f, max_failures: 1, run: 'true'}
          - {id: g, foreach: [x], max_failures: lots, run: 'true', rollback: {foreach: [y], run: 'true'}}
        """.write(toFile: dir + "/bad.yaml", atomically: true, encoding: .utf8)
        /// `LINE:COLUMN: error: MESSAGE` of each error validate reports.
        func errors(_ result: CLI.Result) -> [String] {
            result.stderr.split(separator: "\n").filter { $0.contains(" error: ") }.map {
                String($0.drop { $0 != ":" }.dropFirst())
            }
        }
        let result = try CLI.run(["validate", dir + "/bad.yaml"], in: dir)
        #expect(result.status == 1)
        #expect(
            errors(result) == [
                "10:13: error: foreach runs a step's own action once per item; a steps step has none",
                "11:13: error: max_failures applies to a step with foreach or on",
                "12:41: error: max_failures is a number of items (0 or more) or a percentage such as 25%",
                "12:71: error: a rollback action runs once for each item its step ran for; foreach belongs on the step",
            ], "\(result.stderr)")
        let second = try String(contentsOfFile: dir + "/bad.yaml", encoding: .utf8)
            .replacingOccurrences(of: "\n  - {id: d, foreach: [x], steps: [{id: e, run: 'true'}]}", with: "")
            .replacingOccurrences(of: "\n  - {id: f, max_failures: 1, run: 'true'}", with: "")
            .replacingOccurrences(
                of:
                    "\n  - {id: g, foreach: [x], max_failures: lots, run: 'true', rollback: {foreach: [y], run: 'true'}}",
                with: "")
        try second.write(toFile: dir + "/bad.yaml", atomically: true, encoding: .utf8)
        let checked = try CLI.run(["validate", dir + "/bad.yaml"], in: dir)
        #expect(
            errors(checked) == [
                "7:22: error: foreach needs a list, but this expression gives a string",
                "8:27: error: 'item' is only available in a step with foreach",
                "9:33: error: 'item' is only available in a step with foreach",
            ], "\(checked.stderr)")
    }
}

/// A fan-out killed in the middle: resume runs only the items that did not complete.
@Suite(.serialized) struct ForEachResumeTests {
    @Test func aResumedFanOutRunsOnlyTheItemsThatDidNotComplete() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        let playbook = """
            runbook: 1
            id: three
            title: Resume a fan-out
            recovery:
              - id: restart
                foreach: [a, b, c]
                run: if [ {{ item }} = b ] && [ ! -f go ]; then echo $$ > step.pid; echo $PPID > runbook.pid; exec sleep 4725; fi; echo {{ item }} >> trace
                rollback: {run: 'echo undo {{ item }} >> trace'}
            """
        let run = try ResumeCommandTests.killedRun(w, playbook: playbook)
        let resumed = try w.run(["resume", run, "--yes", "--indeterminate", "rerun"])
        #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
        #expect(
            (try? String(contentsOfFile: w.dir + "/trace", encoding: .utf8)) == "a\nb\nc\n",
            "a ran once, before the kill")
        #expect(resumed.stdout.contains("↺ restart[0]"), "\(resumed.stdout)")
        #expect(try w.verify().status == 0)
    }

    @Test func aLaterRollbackUndoesEachCompletedItemWithItsOwnItem() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        // The items come from a step's output, which the audit trail does not keep: the rollback
        // reads the items the fan-out recorded.
        _ = try w.playbook(
            "later",
            """
            runbook: 1
            id: later
            title: Undo later
            diagnosis:
              - {id: list, run: 'printf "a\\nb\\n"', readonly: true}
            recovery:
              - id: restart
                foreach: lines(steps.list.stdout)
                run: 'echo {{ item }} >> trace'
                rollback: {run: 'echo undo {{ item }} {{ index }} >> trace'}
            """)
        let first = try w.run(["run", "later.yaml", "--yes"])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        let run = try #require(try w.records().first?["run"]?.string)
        let undone = try w.run(["rollback", run, "--yes"])
        #expect(undone.status == 0, "\(undone.stdout)\(undone.stderr)")
        #expect(
            (try? String(contentsOfFile: w.dir + "/trace", encoding: .utf8)) == "a\nb\nundo b 1\nundo a 0\n")
        #expect(try w.verify().status == 0)
    }

    @Test func aRehearsalScriptsEachItemByItsId() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        let playbook = try w.playbook(
            "re",
            """
            runbook: 1
            id: re
            title: Rehearse a fan-out
            recovery:
              - {id: restart, foreach: [a, b, c], max_failures: 1, run: 'systemctl restart {{ item }}'}
            """)
        let scenario = """
            playbook: re
            steps:
              restart[0]: {}
              restart[1]: {exit_code: 1}
              restart[2]: {}
            expect:
              path: [restart, "restart[0]", "restart[1]", "restart[2]"]
              outcome: recovered
            """
        try scenario.write(toFile: w.dir + "/re.scenario.yaml", atomically: true, encoding: .utf8)
        let result = try w.run(["rehearse", playbook, "--scenario", w.dir + "/re.scenario.yaml"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("every expectation held"))
        try scenario.replacingOccurrences(of: "restart[2]: {}", with: "restrat[2]: {}")
            .write(toFile: w.dir + "/re.scenario.yaml", atomically: true, encoding: .utf8)
        let wrong = try w.run(["rehearse", playbook, "--scenario", w.dir + "/re.scenario.yaml"])
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("scripted step 'restrat[2]' is not a step of playbook 're'"), "\(wrong.stderr)")
    }

    /// `rehearse` and `test` fan out over the playbook's inventory as a run would, contact no
    /// host (the addresses are unroutable), and `--limit` narrows a rehearsal.
    @Test func aRehearsalFansOutOverTheInventoryAndContactsNoHost() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        try "hosts:\n  web-1: {address: 192.0.2.1}\n  web-2: {address: 192.0.2.2}\ngroups:\n  web: [web-1, web-2]\n"
            .write(toFile: w.dir + "/hosts.yaml", atomically: true, encoding: .utf8)
        let playbook = try w.playbook(
            "fleet",
            """
            runbook: 1
            id: fleet
            title: Restart the fleet
            inventory: hosts.yaml
            recovery:
              - {id: restart, on: web, max_failures: 1, run: 'systemctl restart api'}
            """)
        let scenario = """
            playbook: fleet
            steps:
              restart[0]: {}
              restart[1]: {exit_code: 1}
            expect:
              path: [restart, "restart[0]", "restart[1]"]
              outcome: recovered
            """
        try scenario.write(toFile: w.dir + "/fleet.scenario.yaml", atomically: true, encoding: .utf8)
        let rehearsed = try w.run(["rehearse", playbook, "--scenario", w.dir + "/fleet.scenario.yaml"])
        #expect(rehearsed.status == 0, "\(rehearsed.stdout)\(rehearsed.stderr)")
        #expect(rehearsed.stdout.contains("▸ restart[1] (web-2)"), "\(rehearsed.stdout)")
        let hosts = try w.records().filter { $0["event"]?.string == "step.start" }.compactMap { $0["host"]?.string }
        #expect(hosts == ["web-1", "web-2"])
        let tested = try CLI.run(["test", w.dir + "/fleet.scenario.yaml", "--audit-dir", w.auditDir], in: w.dir)
        #expect(tested.status == 0, "\(tested.stdout)\(tested.stderr)")
        #expect(tested.stdout.contains("1 passed, 0 failed"), "\(tested.stdout)")

        let limited = try w.run([
            "rehearse", playbook, "--scenario", w.dir + "/fleet.scenario.yaml", "--limit", "web-2",
        ])
        #expect(limited.status == 1, "\(limited.stdout)\(limited.stderr)")
        #expect(limited.stdout.contains("▸ restart[0] (web-2)"), "\(limited.stdout)")
        let misspelt = try w.run([
            "rehearse", playbook, "--scenario", w.dir + "/fleet.scenario.yaml", "--limit", "web-3",
        ])
        #expect(misspelt.status == 2)
        #expect(misspelt.stderr.contains("web-3"), "\(misspelt.stderr)")
    }

    /// `parallel: N` runs N items at once, each with its own records; outputs stay in item order.
    @Test func parallelRunsItemsAtOnceEachWithItsOwnRecords() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        let playbook = try w.playbook(
            "par",
            """
            runbook: 1
            id: par
            title: Parallel
            recovery:
              - id: work
                foreach: [d, c, b, a]
                parallel: 4
                run: 'sleep 1; echo {{ item }}'
                outputs: {name: trim(stdout)}
              - {id: after, run: 'echo "{{ steps.work.outputs.name }}" > names'}
            """)
        let began = Date()
        let result = try w.run(["run", playbook, "--yes"])
        let took = Date().timeIntervalSince(began)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(took < 3, "four 1 s items with parallel: 4 took \(took) s")
        #expect(result.stdout.contains("for each of 4 items: d, c, b, a; 4 at a time"), "\(result.stdout)")
        let records = try w.records()
        let parent = try #require(records.first { $0["event"]?.string == "step.start" && $0["step"]?.string == "work" })
        #expect(parent["parallel"]?.int == 4)
        let ends = records.filter { $0["event"]?.string == "step.end" }.compactMap { $0["step"]?.string }
        #expect(Set(ends.filter { $0.hasPrefix("work[") }) == ["work[0]", "work[1]", "work[2]", "work[3]"])
        // In item order, whatever order the items ended in (a list is one word per item in a command).
        #expect(try String(contentsOfFile: w.dir + "/names", encoding: .utf8) == "d c b a\n")
        #expect(try w.run(["audit", "verify"]).status == 0)
    }

    /// Once more items failed than `max_failures` allows, the items in flight finish, no new one
    /// starts, and the completed ones are rolled back newest first.
    @Test func overTheBudgetTheItemsInFlightFinishAndNoneStarts() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        let playbook = try w.playbook(
            "budget",
            """
            runbook: 1
            id: budget
            title: Parallel budget
            recovery:
              - id: work
                foreach: [a, b, c, d, e]
                parallel: 3
                run: 'if [ {{ item }} = a ]; then exit 1; fi; sleep 1; echo {{ item }} >> done'
                rollback: {run: 'echo undo {{ item }} >> done'}
            """)
        let result = try w.run(["run", playbook, "--yes"])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(
            result.stdout.contains(
                "5 items: 2 ok, 1 failed (work[0]), 2 not started; more failed than max_failures 0 allows"),
            "\(result.stdout)")
        let lines = try String(contentsOfFile: w.dir + "/done", encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(Set(lines.prefix(2)) == ["b", "c"])
        // Undone newest first: in the reverse of the order the two items' ends were recorded.
        let records = try w.records()
        let ended = records.filter { $0["event"]?.string == "step.end" && $0["status"]?.string == "ok" }
            .compactMap { $0["step"]?.string }.filter { $0.hasPrefix("work[") }
        let item = ["work[1]": "b", "work[2]": "c"]
        #expect(lines.suffix(2) == ended.reversed().map { "undo \(item[$0] ?? $0)" }, "\(ended)")
        let skipped = records.filter { $0["event"]?.string == "step.skip" }.compactMap { $0["step"]?.string }
        #expect(skipped == ["work[3]", "work[4]"])
    }

    /// Ctrl-C ends every item in flight, not only one.
    @Test func ctrlCEndsEveryItemInFlight() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        let playbook = try w.playbook(
            "stop",
            """
            runbook: 1
            id: stop
            title: Parallel interrupt
            recovery:
              - {id: mark, run: 'echo $PPID > runbook.pid', readonly: true}
              - {id: work, foreach: [a, b, c, d], parallel: 3, run: 'echo $$ > {{ item }}.pid; exec sleep 4712'}
            """)
        let running = try CLI.start(
            ["run", playbook, "--yes", "--audit-dir", w.auditDir], in: w.dir, environment: w.environment)
        let pids = CLI.waitForPIDs(["runbook.pid", "a.pid", "b.pid", "c.pid"], in: w.dir) ?? []
        #expect(pids.count == 4)
        kill(pids[0], SIGINT)
        let result = running.wait()
        #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("3 failed (work[0], work[1], work[2]), 1 not started; the run is stopping"))
        for item in pids.dropFirst() { #expect(kill(item, 0) != 0, "item process \(item) is still running") }
        #expect(!FileManager.default.fileExists(atPath: w.dir + "/d.pid"))
    }

}
