import Foundation
import RunbookTestSupport
import Testing

@Suite struct ListShowCommandTests {
    private func workspace() throws -> String {
        let dir = try CLI.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/playbooks", withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: Fixtures.path("valid/spec-example.yaml"), toPath: dir + "/playbooks/spec-example.yaml")
        try "runbook: 1\nid: broken\n".write(toFile: dir + "/playbooks/broken.yaml", atomically: true, encoding: .utf8)
        return dir
    }

    @Test func listShowsIdSeverityAndTitleFromTheSearchPath() throws {
        let dir = try workspace()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let extra = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: extra) }
        try "runbook: 1\nid: extra\ntitle: From RUNBOOK_PATH\nseverity: P4\nverify: [{id: v, run: 'true'}]\n"
            .write(toFile: extra + "/extra.yaml", atomically: true, encoding: .utf8)
        let result = try CLI.run(["list"], in: dir, environment: ["RUNBOOK_PATH": extra])
        #expect(result.status == 0)
        #expect(
            result.stdout == """
                ID            SEV  TITLE
                broken        -    (invalid playbook: run 'runbook validate playbooks/broken.yaml')
                spec-example  P2   High CPU/Memory Usage
                extra         P4   From RUNBOOK_PATH

                """)
    }

    @Test func listJSONIsStable() throws {
        let dir = try workspace()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try CLI.run(["list", "--json"], in: dir)
        let rows = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
        #expect(rows?.map { $0["id"] as? String } == ["broken", "spec-example"])
        #expect(rows?.map { $0["valid"] as? Bool } == [false, true])
    }

    @Test func showReadsLikeTheRunbookPage() throws {
        let result = try CLI.run(["show", "valid/spec-example.yaml"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Golden.mismatch(result.stdout, "show-spec-example.txt") == nil)
    }

    @Test func showJSONCarriesResolvedDefaults() throws {
        let result = try CLI.run(["show", "--json", "valid/spec-example.yaml"])
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let phases = json?["phases"] as? [[String: Any]]
        #expect(phases?.map { $0["phase"] as? String } == ["symptoms", "diagnosis", "recovery", "verify"])
        let verify = (phases?.last?["steps"] as? [[String: Any]])?.first
        #expect(verify?["readonly"] as? Bool == true)
        let response = json?["response"] as? [String: Any]
        #expect(response?["responseTime"] as? String == "1 hour")
        #expect(response?["customerUpdate"] as? String == "status page within 2 hours")
        #expect(verify?["onFailure"] as? String == "rollback")
        #expect(verify?["timeout"] as? String == "10m")
    }

    @Test func showOfAnUnknownIdSuggestsTheClosestAndExitsTwo() throws {
        let dir = try workspace()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try CLI.run(["show", "spec-exampel"], in: dir)
        #expect(result.status == 2)
        #expect(
            result.stderr
                == "spec-exampel: error: no playbook with id 'spec-exampel'\n  help: did you mean 'spec-example'?\n")
    }
}
