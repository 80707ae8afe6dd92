import Foundation
import RunbookTestSupport
import Testing

@Suite struct TriageCommandTests {
    /// A workspace whose ./playbooks are the triage fixtures (and any extra files given).
    private func workspace(_ extra: [String: String] = [:]) throws -> String {
        let dir = try CLI.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/playbooks", withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: Fixtures.path("triage")) {
            try FileManager.default.copyItem(
                atPath: Fixtures.path("triage/" + name), toPath: dir + "/playbooks/" + name)
        }
        for (name, text) in extra {
            try text.write(toFile: dir + "/playbooks/" + name, atomically: true, encoding: .utf8)
        }
        return dir
    }

    private func triage(_ arguments: [String], in dir: String) throws -> CLI.Result {
        try CLI.run(["triage", "--audit-dir", dir + "/audit"] + arguments, in: dir)
    }

    @Test func matchesComeFirstWithTheirEvidenceAndTheCommandToStartWith() throws {
        let dir = try workspace()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try triage([], in: dir)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(Golden.mismatch(result.stdout, "triage-fixtures.txt") == nil)
        // Read-only by definition: the symptom step marked readonly: false was never executed.
        #expect(!FileManager.default.fileExists(atPath: dir + "/mutated-by-triage"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/playbooks/mutated-by-triage"))
    }

    @Test func eachProbedPlaybookIsAnAuditedRunInModeTriage() throws {
        let dir = try workspace()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try triage([], in: dir)
        let list = try CLI.run(["audit", "list", "--audit-dir", dir + "/audit"], in: dir)
        let rows = list.stdout.split(separator: "\n").dropFirst()
        #expect(rows.count == 3, "\(list.stdout)")
        #expect(rows.allSatisfy { $0.contains(" triage ") }, "\(list.stdout)")
        #expect(rows.filter { $0.hasSuffix("symptoms_present") }.count == 2, "\(list.stdout)")
        let verify = try CLI.run(["audit", "verify", "--audit-dir", dir + "/audit"], in: dir)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    @Test func jsonCarriesTheVerdictsEvidenceAndRuns() throws {
        let dir = try workspace()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try triage(["--json"], in: dir)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(
            rows.map { $0["playbook"] as? String } == ["disk-full", "api-down", "quiet", "needs-host", "no-symptoms"])
        #expect(rows.map { $0["verdict"] as? String } == ["match", "match", "no_match", "not_probed", "not_probed"])
        let evidence = try #require((rows[0]["evidence"] as? [[String: Any]])?.first)
        #expect(evidence["step"] as? String == "disk_used")
        #expect(evidence["output"] as? [String] == ["93"])
        #expect(evidence["expect"] as? String == "int(trim(stdout)) > params.threshold")
        #expect(rows[0]["next"] as? String == "runbook run disk-full --dry-run")
        #expect(rows[3]["note"] as? String == "needs -p host=… to probe")
        #expect((rows[0]["run"] as? String)?.isEmpty == false)
    }

    @Test func nothingMatchingExitsOne() throws {
        let dir = try workspace()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try triage(["quiet", "no-symptoms"], in: dir)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.hasPrefix("No playbook's symptoms are present.\n"), "\(result.stdout)")
    }

    @Test func anInvalidPlaybookProbesNothingAndExitsTwo() throws {
        let dir = try workspace(["broken.yaml": "runbook: 1\nid: broken\n"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try triage([], in: dir)
        #expect(result.status == 2)
        #expect(result.stderr.contains("playbooks/broken.yaml"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/audit/audit.jsonl"), "something was probed")
    }

    @Test func probesRunInParallelAndTheTimeoutCutsASlowOne() throws {
        var extra: [String: String] = [:]
        for n in 1...4 {
            extra["slow\(n).yaml"] =
                "runbook: 1\nid: slow\(n)\ntitle: Slow \(n)\nsymptoms:\n  - {id: wait, run: \"sleep 1; echo up\"}\n"
                + "  - {id: hang, run: \"sleep 30\"}\nrecovery:\n  - {id: r, run: \"true\"}\n"
        }
        let dir = try workspace(extra)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let start = Date()
        let result = try triage(["slow1", "slow2", "slow3", "slow4", "--jobs", "4", "--timeout", "1500ms"], in: dir)
        let took = Date().timeIntervalSince(start)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        // Serially: 4 × (1 s + 1.5 s) = 10 s. In parallel about 2.5 s.
        #expect(took < 7, "took \(took) s")
        #expect(result.stdout.contains("1. slow1 — Slow 1: 1 of 2 symptoms present"), "\(result.stdout)")
    }

    @Test func badOptionsAreUsageErrors() throws {
        let dir = try workspace()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try triage(["--jobs", "0"], in: dir).status == 2)
        #expect(try triage(["--timeout", "0s"], in: dir).status == 2, "a zero timeout would report every probe absent")
        let result = try triage(["--timeout", "soon"], in: dir)
        #expect(result.status == 2)
        #expect(result.stderr.contains("--timeout takes a duration"), "\(result.stderr)")
    }

    @Test func anAlertmanagerPayloadPutsThePlaybooksItNamesFirstWithParamsFromItsLabels() throws {
        let dir = try workspace()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try triage(["--alert", Fixtures.path("alerts/host-unreachable.json")], in: dir)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "1. needs-host — Needs a host: 1 of 1 symptoms present", "\(result.stdout)")
        #expect(lines.contains("   alert: HostUnreachable"))
        // The label's value reaches the probe as the param, and the command quotes it.
        #expect(lines.contains("       │ web-1 (blue)"), "\(result.stdout)")
        #expect(lines.contains("   start with: runbook run needs-host -p 'host=web-1 (blue)' --dry-run"))
        // A firing alert no playbook declares is named; a resolved one is not.
        #expect(result.stderr.contains("warning: alert 'NobodyAnswersThis' is firing and no playbook declares it"))
    }

    @Test func thePayloadCanComeOnStandardInputAndJSONCarriesTheAlertAndParams() throws {
        let dir = try workspace()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let payload = try String(contentsOfFile: Fixtures.path("alerts/host-unreachable.json"), encoding: .utf8)
        let result = try CLI.run(
            ["triage", "--alert", "-", "--json", "--audit-dir", dir + "/audit"], in: dir, stdin: payload)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(rows.first?["playbook"] as? String == "needs-host")
        #expect(rows.first?["alerts"] as? [String] == ["HostUnreachable"])
        #expect(rows.first?["params"] as? [String: String] == ["host": "web-1 (blue)"])
    }

    @Test func aPayloadThatIsNotAlertmanagersIsInvalidInput() throws {
        let dir = try workspace(["x.json": "{\"alerts\": 3}"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try triage(["--alert", "playbooks/x.json"], in: dir)
        #expect(result.status == 2)
        #expect(
            result.stderr.contains("playbooks/x.json: error: not an Alertmanager webhook payload"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/audit/audit.jsonl"))
    }

    @Test func whatAProbeLeavesBehindIsEndedWhenTriageEnds() throws {
        let marker = "3\(Int.random(in: 10000...99999))"
        let dir = try workspace([
            "leaky.yaml": """
            runbook: 1
            id: leaky
            title: Leaky
            symptoms:
              - {id: escapes, run: "setsid sleep \(marker) & echo bg"}
              - {id: hangs, run: "sleep \(marker)1 & sleep \(marker)2; echo done"}
            recovery:
              - {id: r, run: "true"}
            """
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try triage(["leaky", "--timeout", "1s"], in: dir)
        let left = try CLI.tool(["/usr/bin/pgrep", "-f", "sleep \(marker)"]).stdout
        #expect(left.isEmpty, "left running: \(left)")
    }

    @Test func furtherFiringsOfAnAlertWithOtherLabelsAreNamed() throws {
        let payload = """
            {"version": "4", "status": "firing", "alerts": [
              {"status": "firing", "labels": {"alertname": "HostUnreachable", "instance": "a"}},
              {"status": "firing", "labels": {"alertname": "HostUnreachable", "instance": "b"}}]}
            """
        let dir = try workspace(["two.json": payload])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try triage(["needs-host", "--alert", "playbooks/two.json"], in: dir)
        #expect(result.stdout.contains("-p host=a --dry-run"), "\(result.stdout)")
        #expect(
            result.stderr.contains(
                "HostUnreachable also fires with host=b; needs-host was probed with the first firing's labels only"),
            "\(result.stderr)")
    }

    @Test(arguments: [
        ("{\"alerts\": null}", "not an Alertmanager webhook payload: alerts is not a list"),
        ("[]", "not an Alertmanager webhook payload: the top level is not an object"),
        (
            "{\"alerts\": [{\"status\": \"firing\", \"labels\": {\"alertname\": 3}}]}",
            "not an Alertmanager webhook payload: alerts[0].labels.alertname is not a string"
        ),
        ("nope", "not an Alertmanager webhook payload: the text is not JSON"),
    ])
    func aMalformedPayloadSaysWhereItIsWrong(payload: String, message: String) throws {
        let dir = try workspace(["bad.json": payload])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try triage(["--alert", "playbooks/bad.json"], in: dir)
        #expect(result.status == 2)
        #expect(result.stderr.contains("playbooks/bad.json: error: \(message)"), "\(result.stderr)")
    }
}
