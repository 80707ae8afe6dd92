import Foundation
import RunbookTestSupport
import Testing

@Suite struct AuditVerifyJSONTests {
    @Test func verifyJSONGivesTheHeadAndATamperedTrailAJSONErrorLine() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let env = ["RUNBOOK_LOCK_DIR": dir + "/locks"]
        let plan = try CLI.run(["run", "valid/spec-example.yaml", "--dry-run", "--audit-dir", dir], environment: env)
        #expect(plan.status == 0, "\(plan.stderr)")
        let ok = try CLI.run(["audit", "verify", "--json", "--audit-dir", dir])
        #expect(ok.status == 0)
        let result = try #require(try JSONSerialization.jsonObject(with: Data(ok.stdout.utf8)) as? [String: Any])
        #expect(result["ok"] as? Bool == true)
        #expect(result["hmac_verified"] as? Bool == false)
        let records = try #require(result["records"] as? Int)
        #expect((result["head"] as? String)?.hasPrefix("\(records):") == true, "\(result)")
        // The head is what --expect-head takes.
        #expect(
            try CLI.run(["audit", "verify", "--expect-head", result["head"] as! String, "--audit-dir", dir]).status == 0
        )

        let file = dir + "/audit.jsonl"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try text.replacingOccurrences(of: "\"mode\":\"dry-run\"", with: "\"mode\":\"live\"")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let broken = try CLI.run(["audit", "verify", "--json", "--audit-dir", dir])
        #expect(broken.status == 1)
        #expect(broken.stdout.isEmpty)
        let error = try #require(
            try JSONSerialization.jsonObject(with: Data(broken.stderr.split(separator: "\n")[0].utf8)) as? [String: Any]
        )
        #expect(error["severity"] as? String == "error")
        #expect(error["line"] as? Int == 1)
        #expect((error["file"] as? String)?.hasSuffix("audit.jsonl") == true)
    }
}

@Suite struct RehearseJSONTests {
    @Test func aScenarioRehearsalPrintsItsScorecardAsJSONAndNothingElse() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try CLI.run(
            ["rehearse", "--scenario", "playbooks/high-cpu.declined.scenario.yaml", "--json", "--audit-dir", dir],
            in: Fixtures.root.path)
        #expect(result.status == 0, "\(result.stderr)")
        let card = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(card["passed"] as? Bool == true)
        #expect(card["misses"] as? [String] == [])
        #expect(card["playbook"] as? String == "high-cpu")
        #expect((card["path"] as? [String])?.first == "cpu_high")
        #expect((card["decisions"] as? [String])?.contains("scale_pool: confirmation → no") == true, "\(card)")
        #expect(card["outcome"] as? String == "declined")
    }
}
