import Foundation
import RunbookTestSupport
import Testing

@Suite struct NewCommandTests {
    @Test func theSkeletonValidatesCleanAndTheNextCommandsArePrinted() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try CLI.run(["new", "disk-full"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Golden.mismatch(result.stdout, "new-disk-full.txt") == nil)
        let text = try String(contentsOfFile: dir + "/playbooks/disk-full.yaml", encoding: .utf8)
        #expect(text.hasPrefix("# yaml-language-server: $schema=../schemas/playbook.schema.json\n"))
        let validate = try CLI.run(["validate", "playbooks/disk-full.yaml"], in: dir)
        #expect(validate.status == 0)
        #expect(validate.stderr == "1 playbook checked: 0 errors, 0 warnings\n", "\(validate.stdout)\(validate.stderr)")
        // The commands it prints work as printed (the tabletop drill needs a person at a terminal).
        let show = try CLI.run(["show", "playbooks/disk-full.yaml"], in: dir)
        #expect(show.status == 0, "\(show.stderr)")
        let plan = try CLI.run(
            ["run", "playbooks/disk-full.yaml", "--dry-run", "--audit-dir", dir + "/audit"], in: dir,
            environment: ["RUNBOOK_LOCK_DIR": dir + "/locks"])
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
        #expect(plan.stdout.contains("Outcome: planned"), "\(plan.stdout)")
        let drill = try CLI.run(["rehearse", "playbooks/disk-full.yaml", "--audit-dir", dir + "/audit"], in: dir)
        #expect(drill.stderr.contains("a tabletop drill asks the facilitator at a terminal"), "\(drill.stderr)")
    }

    @Test func aCopyKeepsEverythingButTheIdAndValidates() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let source = Fixtures.root.path + "/playbooks/high-cpu.yaml"
        let result = try CLI.run(["new", "high-cpu-eu", "--from", source, "--dir", "drafts"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("wrote drafts/high-cpu-eu.yaml (a copy of \(source))\n"))
        let copy = try String(contentsOfFile: dir + "/drafts/high-cpu-eu.yaml", encoding: .utf8)
        let original = try String(contentsOfFile: source, encoding: .utf8)
        let changed = zip(
            copy.split(separator: "\n", omittingEmptySubsequences: false),
            original.split(separator: "\n", omittingEmptySubsequences: false)
        ).filter { $0.0 != $0.1 }
        #expect(changed.map { String($0.0) } == ["id: high-cpu-eu"], "\(changed)")
        // Its includes resolve from the shipped library.
        let validate = try CLI.run(
            ["validate", "drafts/high-cpu-eu.yaml"], in: dir,
            environment: ["RUNBOOK_PATH": Fixtures.root.path + "/playbooks"])
        #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
    }

    @Test func anExistingFileIsNeverOverwritten() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try CLI.run(["new", "twice"], in: dir).status == 0)
        try "keep me".write(toFile: dir + "/playbooks/twice.yaml", atomically: true, encoding: .utf8)
        let again = try CLI.run(["new", "twice"], in: dir)
        #expect(again.status == 2)
        #expect(again.stderr.contains("playbooks/twice.yaml exists already"), "\(again.stderr)")
        #expect(try String(contentsOfFile: dir + "/playbooks/twice.yaml", encoding: .utf8) == "keep me")
    }

    @Test func anInvalidIdIsRefusedWithTheSyntax() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try CLI.run(["new", "Disk_Full"], in: dir)
        #expect(result.status == 2)
        #expect(result.stderr.contains("'Disk_Full' is not a playbook id"), "\(result.stderr)")
        #expect(result.stderr.contains("[a-z0-9][a-z0-9-]*"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/playbooks"))
    }

    @Test func aDanglingSymbolicLinkIsNotWrittenThrough() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/playbooks", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: dir + "/playbooks/sl.yaml", withDestinationPath: dir + "/target")
        let result = try CLI.run(["new", "sl"], in: dir)
        #expect(result.status == 2)
        #expect(!FileManager.default.fileExists(atPath: dir + "/target"), "written through the link")
    }

    @Test func aCopyWhoseIdCannotBeChangedLineByLineIsRefused() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "runbook: 1\nid: &x src\ntitle: *x\nverify:\n  - {id: v, run: \"true\"}\n"
            .write(toFile: dir + "/src.yaml", atomically: true, encoding: .utf8)
        let result = try CLI.run(["new", "copy", "--from", "src.yaml"], in: dir)
        #expect(result.status == 2)
        #expect(result.stderr.contains("cannot change the id of src.yaml line by line"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/playbooks/copy.yaml"))
    }
}
