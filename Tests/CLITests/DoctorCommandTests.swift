import Foundation
import RunbookTestSupport
import Testing

@Suite struct DoctorCommandTests {
    private func workspace() throws -> String {
        let dir = try CLI.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/playbooks", withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: Fixtures.path("valid/spec-example.yaml"), toPath: dir + "/playbooks/spec-example.yaml")
        return dir
    }

    @Test func aReadyMachineExitsZeroWithEachCheckOnALine() throws {
        let dir = try workspace()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let env = ["RUNBOOK_LOCK_DIR": dir + "/locks"]
        let result = try CLI.run(["doctor", "--audit-dir", dir + "/audit"], in: dir, environment: env)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let checks = result.stdout.split(separator: "\n").filter { !$0.hasPrefix(" ") }.map {
            $0.split(separator: " ", omittingEmptySubsequences: true).prefix(2).joined(separator: " ")
        }
        #expect(
            checks == [
                "ok libyaml", "warning terminal", "ok audit", "ok audit", "ok lock", "ok playbooks", "ok ssh",
            ], "\(result.stdout)")
        #expect(result.stdout.contains("audit directory  \(dir)/audit (created, 0700, by the first run)"))
        #expect(result.stdout.contains("playbooks        1 in playbooks, all valid"), "\(result.stdout)")
        #expect(result.stdout.contains("→ run at a terminal, or pass --yes"), "\(result.stdout)")
    }

    @Test func aMachineWithoutAnSSHClientIsWarnedThatStepsWithOnCannotRun() throws {
        let dir = try workspace()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try CLI.run(
            ["doctor", "--audit-dir", dir + "/audit"], in: dir,
            environment: ["RUNBOOK_LOCK_DIR": dir + "/locks", "PATH": dir + "/empty"])
        #expect(
            result.stdout.contains("no ssh client in PATH: steps with on: cannot reach their hosts"), "\(result.stdout)"
        )
        #expect(result.stdout.contains("→ install the OpenSSH client"), "\(result.stdout)")
    }

    @Test func jsonListsLevelCheckDetailAndFix() throws {
        let dir = try workspace()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try CLI.run(
            ["doctor", "--json", "--audit-dir", dir + "/audit"], in: dir, environment: ["RUNBOOK_LOCK_DIR": dir])
        let findings = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: String]])
        #expect(
            findings.map { $0["check"] } == [
                "libyaml", "terminal", "audit directory", "audit key", "lock directory", "playbooks", "ssh",
            ])
        #expect(findings[1]["level"] == "warning")
        #expect(findings[1]["fix"] != nil)
        #expect(Set(findings.flatMap(\.keys)) == ["level", "check", "detail", "fix"])
    }

    @Test func whatStopsARunIsAProblemWithItsFixAndExitsOne() throws {
        let dir = try workspace()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // An audit directory anyone can write, a playbook that does not validate, a lock path that is a file.
        try FileManager.default.createDirectory(atPath: dir + "/open", withIntermediateDirectories: true)
        chmod(dir + "/open", 0o777)
        try "runbook: 1\nid: broken\n".write(toFile: dir + "/playbooks/broken.yaml", atomically: true, encoding: .utf8)
        try "".write(toFile: dir + "/lockfile", atomically: true, encoding: .utf8)
        let result = try CLI.run(
            ["doctor", "--audit-dir", dir + "/open"], in: dir, environment: ["RUNBOOK_LOCK_DIR": dir + "/lockfile"])
        #expect(result.status == 1)
        #expect(
            result.stdout.contains("PROBLEM  audit directory  \(dir)/open is writable by everyone"), "\(result.stdout)")
        #expect(result.stdout.contains("→ use a private directory of your own"), "\(result.stdout)")
        #expect(result.stdout.contains("PROBLEM  lock directory   \(dir)/lockfile is not a writable directory"))
        #expect(
            result.stdout.contains("PROBLEM  playbooks        1 of 2 do not validate: playbooks/broken.yaml"),
            "\(result.stdout)")
    }

    @Test func aTamperedTrailIsAProblemNamingTheLine() throws {
        let dir = try workspace()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let audit = dir + "/audit"
        let env = ["RUNBOOK_LOCK_DIR": dir + "/locks"]
        #expect(
            try CLI.run(["run", "spec-example", "--dry-run", "--audit-dir", audit], in: dir, environment: env).status
                == 0)
        let file = audit + "/audit.jsonl"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try text.replacingOccurrences(of: "\"mode\":\"dry-run\"", with: "\"mode\":\"live\"")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let result = try CLI.run(["doctor", "--audit-dir", audit], in: dir, environment: env)
        #expect(result.status == 1)
        #expect(result.stdout.contains("PROBLEM  audit directory  \(file), line 1:"), "\(result.stdout)")
    }
}
