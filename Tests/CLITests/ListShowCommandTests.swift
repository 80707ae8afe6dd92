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

    /// Files are read on every processor at once; the list keeps the search path's order, and of
    /// files that share an id it shows the one `runbook run ID` takes: `ID.yaml`, else the first.
    @Test func aLongSearchPathIsListedInOrderWithLaterDuplicatesShadowed() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let extra = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: extra) }
        try FileManager.default.createDirectory(atPath: dir + "/playbooks", withIntermediateDirectories: true)
        for (folder, prefix) in [(dir + "/playbooks", "a"), (extra, "b")] {
            for n in 0..<30 {
                let name = String(format: "\(prefix)%02d", n)
                // b07 repeats a07's id; a13 names the id of a later file in the same folder.
                let id = name == "b07" ? "a07" : name == "a13" ? "a20" : name
                try "runbook: 1\nid: \(id)\ntitle: T \(name)\nverify: [{id: v, run: 'true'}]\n"
                    .write(toFile: "\(folder)/\(name).yaml", atomically: true, encoding: .utf8)
            }
        }
        let result = try CLI.run(["list", "--json"], in: dir, environment: ["RUNBOOK_PATH": extra])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
        let titles = rows?.compactMap { $0["title"] as? String }
        // a13.yaml comes first in the folder, but `run a20` takes a20.yaml, so that is listed.
        let expected =
            (0..<30).compactMap { $0 == 13 ? nil : String(format: "T a%02d", $0) }
            + (0..<30).compactMap { $0 == 7 ? nil : String(format: "T b%02d", $0) }
        #expect(titles == expected, "\(result.stdout)")
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
