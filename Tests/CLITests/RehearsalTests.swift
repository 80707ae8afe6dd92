import Foundation
import RunbookTestSupport
import Testing

/// SPEC §5: scenarios rehearse a playbook on scripted outcomes; `runbook test` checks them all.
@Suite struct RehearsalTests {
    /// A workspace holding the demo playbook and its scenarios from `Tests/Fixtures/scenarios`.
    private func workspace() throws -> AuditWorkspace {
        let ws = try AuditWorkspace()
        let source = Fixtures.path("scenarios")
        try FileManager.default.copyItem(atPath: source, toPath: ws.dir + "/scenarios")
        return ws
    }

    @Test func rehearseRunsTheEngineOnTheScriptAndPrintsAScorecard() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let result = try ws.run(["rehearse", "scenarios/demo.yaml", "--scenario", "scenarios/demo.scenario.yaml"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("demo — Demo service  [rehearsal]"))
        #expect(result.stdout.contains("  path: look → drain → how → restart → healthy\n"))
        #expect(result.stdout.contains("  decision: restart: confirmation → yes\n"))
        #expect(result.stdout.contains("  simulated time to diagnose: 0.0s · to recover: 2.0s\n"))
        #expect(result.stdout.contains("  every expectation held\n"))
        let records = try ws.records()
        #expect(records.first?["mode"]?.string == "rehearsal")
        #expect(try ws.verify().status == 0)
    }

    @Test func aScenarioThatDoesNotHoldExitsOneAndShowsBothPaths() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let result = try ws.run(["rehearse", "scenarios/demo.yaml", "--scenario", "scenarios/demo-wrong.scenario.yaml"])
        #expect(result.status == 1)
        #expect(
            result.stdout.contains(
                """
                  ✘ path differs:
                    expected    actual
                    look        look
                    drain       drain
                    how         how
                    restart   ≠ drain.rollback
                    healthy   ≠ -
                  ✘ outcome is declined, expected recovered
                  ✘ step 'drain.rollback' was reached and the scenario does not script it

                """))
    }

    @Test func testRehearsesEveryScenarioAndCountsThem() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let result = try ws.run(["test", "scenarios"])
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").filter { !$0.hasPrefix(" ") }
        #expect(
            lines == [
                "✔ scenarios/demo-fails.scenario.yaml", "✘ scenarios/demo-invalid.scenario.yaml",
                "✘ scenarios/demo-wrong.scenario.yaml", "✔ scenarios/demo.scenario.yaml", "2 passed, 2 failed",
            ])
        let json = try ws.run(["test", "scenarios", "--json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["passed"] as? Bool } == [true, false, false, true])
    }

    @Test func everyFindingOfAScenarioIsReportedAtOnceWithItsPosition() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let result = try ws.run(["test", "scenarios/demo-invalid.scenario.yaml"])
        #expect(result.status == 1)
        let findings = result.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(
            findings == [
                "scenarios/demo-invalid.scenario.yaml:3:3: error: scripted step 'lok' is not a step of playbook 'demo'",
                "scenarios/demo-invalid.scenario.yaml:4:17: error: 'how' has no option 'rebiuld'",
                "scenarios/demo-invalid.scenario.yaml:5:19: error: step 'drain' asks nothing, so it takes no answer",
                "scenarios/demo-invalid.scenario.yaml:5:35: error: exit_code must be between 0 and 255",
                "scenarios/demo-invalid.scenario.yaml:8:12: error: unknown outcome 'recoverd'",
                "scenarios/demo-invalid.scenario.yaml:9:3: error: unknown key 'extra' in expect",
            ])
        #expect(result.stderr.contains("help: did you mean 'look'?"))
        #expect(result.stderr.contains("help: did you mean 'rebuild'?"))
    }

    @Test func anUnansweredConfirmationIsAnErrorBeforeAnythingIsRehearsed() throws {
        let ws = try workspace()
        defer { ws.remove() }
        try "playbook: demo\nexpect: {path: [look], outcome: recovered}\n".write(
            toFile: ws.dir + "/scenarios/unanswered.scenario.yaml", atomically: true, encoding: .utf8)
        let result = try ws.run(["rehearse", "scenarios/demo.yaml", "--scenario", "scenarios/unanswered.scenario.yaml"])
        #expect(result.status == 2)
        #expect(
            result.stderr.contains(
                "error: step 'restart' asks the operator, and the scenario does not answer it"))
        #expect(!result.stderr.contains("'rebuild' asks"), "rebuild is in an option the scenario does not take")
    }

    @Test func theShippedScenariosPass() throws {
        let result = try CLI.run(
            ["test", "playbooks", "examples", "--audit-dir", try CLI.temporaryDirectory()], in: Fixtures.root.path)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.hasSuffix(" passed, 0 failed\n"))
    }
}

extension RehearsalTests {
    @Test func aRecordedRunBecomesAScenarioThatTestPasses() throws {
        let ws = try AuditWorkspace()
        defer { ws.remove() }
        try ws.playbook(
            "leak",
            """
            runbook: 1
            id: leak
            title: Leak
            params:
              service: {type: string, default: api}
              token: {type: string, default: t0k3n-value, secret: true}
            diagnosis:
              - {id: look, run: "echo active {{ params.token }}"}
            recovery:
              - {id: drain, run: "echo draining {{ params.service }}", rollback: {run: echo undrain}}
              - {id: restart, run: "echo restart", confirm: "Restart {{ params.service }}?"}
            verify:
              - {id: healthy, run: "echo unhealthy; exit 3"}
            """)
        let live = try ws.run(["run", "leak.yaml", "--yes"])
        #expect(live.status == 1, "\(live.stderr)")
        let run = try #require(AuditWorkspace.printedHead(live.stdout)?.run)
        let recorded = try ws.run(["audit", "scenario", run, "-o", "leak.scenario.yaml"])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        #expect(recorded.stderr.contains("note: secret params are not in the audit trail; supply them: token"))
        let text = try String(contentsOfFile: ws.dir + "/leak.scenario.yaml", encoding: .utf8)
        #expect(text.contains("  drain.rollback: {stdout: \"undrain\\n\""))
        #expect(text.contains("  path: [look, drain, restart, healthy, drain.rollback]\n  outcome: rolled_back\n"))
        #expect(!text.contains("t0k3n-value"))
        let replay = try ws.run(["test", "leak.scenario.yaml"])
        #expect(replay.status == 0, "\(replay.stdout)\(replay.stderr)")
        #expect(replay.stdout == "✔ leak.scenario.yaml\n1 passed, 0 failed\n")

        // The playbook changes: the recorded answer may no longer fit, so the scenario is stale.
        let playbook = try String(contentsOfFile: ws.dir + "/leak.yaml", encoding: .utf8)
        try playbook.replacingOccurrences(of: "echo restart", with: "systemctl restart api").write(
            toFile: ws.dir + "/leak.yaml", atomically: true, encoding: .utf8)
        let stale = try ws.run(["test", "leak.scenario.yaml"])
        #expect(stale.status == 1)
        #expect(
            stale.stderr.contains("error: the scenario is stale: step 'restart' has changed since the run was recorded")
        )
    }
}

extension RehearsalTests {
    @Test func aTabletopDrillNeedsATerminal() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let result = try ws.run(["rehearse", "scenarios/demo.yaml"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("error: a tabletop drill asks the facilitator at a terminal, and there is none"))
    }
}
