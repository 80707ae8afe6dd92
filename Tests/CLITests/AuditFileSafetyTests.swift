import Foundation
import Glibc
import RunbookBasics
import RunbookTestSupport
import Testing

/// The audit file and its directory as an attacker or a full disk leaves them.
@Suite(.serialized) struct AuditFileSafetyTests {
    static let playbook = """
        runbook: 1
        id: audited
        title: Audited
        recovery:
          - { id: fix, run: "true", rollback: { run: touch unfixed } }
          - { id: more, run: "true" }
        """

    private func workspace() throws -> AuditWorkspace {
        let w = try AuditWorkspace()
        try w.playbook("audited", Self.playbook)
        return w
    }

    private var isRoot: Bool { geteuid() == 0 }
    private let nobody: uid_t = 65534

    @Test func aSymlinkedAuditFileIsRefusedAndItsTargetUntouched() throws {
        let w = try workspace()
        defer { w.remove() }
        try FileManager.default.createDirectory(atPath: w.auditDir, withIntermediateDirectories: true)
        chmod(w.auditDir, 0o700)
        let target = w.dir + "/elsewhere"
        symlink(target, w.auditPath)
        let result = try w.run(["run", "audited.yaml", "--yes"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("audit.jsonl is a symbolic link: refusing to follow it"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    @Test func aWorldWritableAuditDirectoryIsRefused() throws {
        let w = try workspace()
        defer { w.remove() }
        try FileManager.default.createDirectory(atPath: w.auditDir, withIntermediateDirectories: true)
        chmod(w.auditDir, 0o777)
        let result = try w.run(["run", "audited.yaml", "--yes"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("is writable by everyone (mode 777)"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: w.auditPath))
    }

    @Test func anAuditFileOthersCanWriteIsTightenedAndTheRepairRecorded() throws {
        let w = try workspace()
        defer { w.remove() }
        #expect(try w.run(["run", "audited.yaml", "--yes"]).status == 0)
        chmod(w.auditPath, 0o666)
        #expect(try w.run(["run", "audited.yaml", "--yes"]).status == 0)
        var info = stat()
        stat(w.auditPath, &info)
        #expect(info.st_mode & 0o777 == 0o600)
        let note = try w.records().first { $0["event"]?.string == "audit.permissions" }
        #expect(note?["old_mode"]?.string == "666")
        #expect(try w.verify().status == 0)
    }

    @Test func anAuditFileOrSymlinkOfAnotherUserIsRefused() throws {
        guard isRoot else { return }  // only root can give a file away
        let w = try workspace()
        defer { w.remove() }
        #expect(try w.run(["run", "audited.yaml", "--yes"]).status == 0)
        chown(w.auditPath, nobody, gid_t(nobody))
        let theirs = try w.run(["run", "audited.yaml", "--yes"])
        #expect(theirs.status == 2)
        #expect(theirs.stderr.contains("audit.jsonl belongs to another user (uid 65534)"), "\(theirs.stderr)")

        let real = w.dir + "/real-audit"
        try FileManager.default.createDirectory(atPath: real, withIntermediateDirectories: true)
        symlink(real, w.dir + "/linked")
        lchown(w.dir + "/linked", nobody, gid_t(nobody))
        let linked = try CLI.run(
            ["run", "audited.yaml", "--yes", "--audit-dir", w.dir + "/linked"], in: w.dir, environment: w.environment)
        #expect(linked.status == 2)
        #expect(linked.stderr.contains("linked is a symbolic link owned by another user"), "\(linked.stderr)")
    }

    @Test func anAuditDirectoryThatCannotBeCreatedSaysWhereAndWhy() throws {
        let w = try workspace()
        defer { w.remove() }
        _ = FileManager.default.createFile(atPath: w.dir + "/plainfile", contents: Data())
        let result = try CLI.run(
            ["run", "audited.yaml", "--yes", "--audit-dir", w.dir + "/plainfile/audit"], in: w.dir,
            environment: w.environment)
        #expect(result.status == 2)
        #expect(result.stderr.contains("cannot create the audit directory \(w.dir)/plainfile/audit: Not a directory"))
    }

    @Test func aFullDiskStopsTheRunWithoutRollbackAndLeavesWholeRecords() throws {
        guard isRoot else { return }  // mounting a small tmpfs needs root
        let w = try workspace()
        defer { w.remove() }
        let mount = w.dir + "/small"
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        let mounted = try CLI.shell("mount -t tmpfs -o size=16k tmpfs '\(mount)'")
        guard mounted == 0 else { return }  // a container without mount rights
        defer { _ = try? CLI.shell("umount '\(mount)'") }
        // Leave room for a few records only.
        _ = FileManager.default.createFile(atPath: mount + "/filler", contents: Data(count: 12 * 1024))
        let audit = mount + "/audit"
        // Each step's record keeps the last 4 KiB of its output: three such records cannot fit.
        try w.playbook(
            "chatty",
            """
            runbook: 1
            id: chatty
            title: Chatty
            recovery:
              - { id: fix, run: "head -c 2500 /dev/zero | tr '\\\\0' x", rollback: { run: touch unfixed } }
              - { id: more, run: "head -c 2500 /dev/zero | tr '\\\\0' y" }
              - { id: last, run: "head -c 2500 /dev/zero | tr '\\\\0' z" }
            """)
        let result = try CLI.run(
            ["run", "chatty.yaml", "--yes", "--audit-dir", audit], in: w.dir, environment: w.environment)
        #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("No space left on device"))
        #expect(!FileManager.default.fileExists(atPath: w.dir + "/unfixed"), "a rollback ran without its record")
        let verify = try CLI.run(["audit", "verify", "--audit-dir", audit], in: w.dir)
        #expect(verify.status == 0, "\(verify.stderr)")
    }

    @Test func recordsThatStopCarryingAnHmacAreReportedWithoutTheKey() throws {
        let w = try workspace()
        defer { w.remove() }
        #expect(try w.run(["run", "audited.yaml", "--yes"], environment: ["RUNBOOK_AUDIT_KEY": "k"]).status == 0)
        var lines = try w.lines()
        // A forger without the key drops the hmacs from record 3 on and recomputes the chain.
        for index in 2..<lines.count {
            var fields = JSONValue.parse(lines[index])?.objectFields ?? [:]
            fields["hmac"] = nil
            lines[index] = JSONValue.object(fields).canonical
        }
        try w.write(lines: AuditWorkspace.rechain(lines, from: 2))
        let plain = try w.verify()
        #expect(plain.status == 0)
        #expect(plain.stderr.contains(":3: warning: records carry an hmac up to line 2 and this one has none"))
        #expect(try w.verify(key: "k").status == 1)
    }
}
