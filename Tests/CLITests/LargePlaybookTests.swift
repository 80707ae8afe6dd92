import Foundation
import RunbookTestSupport
import Testing

/// What runbook does for a large playbook (README, "Performance"): the heap its objects are
/// built in is one the kernel may back with huge pages (`Heap`).
@Suite struct LargePlaybookTests {
    /// The tests binary is built as runbook is: under a sanitizer, its allocator replaces
    /// glibc's (whose heap is what is grown) and it reserves more address space than any
    /// limit on memory allows.
    static var underSanitizer: Bool { dlsym(nil, "__asan_init") != nil || dlsym(nil, "__tsan_init") != nil }

    /// Where huge pages are never given on request, the advice has nothing to change.
    static var hugePagesAreAdvised: Bool {
        let mode = (try? String(contentsOfFile: "/sys/kernel/mm/transparent_hugepage/enabled", encoding: .utf8)) ?? ""
        return (mode.contains("[madvise]") || mode.contains("[always]")) && !underSanitizer
    }

    /// Writes `text` as `name` in a directory of its own, runs it with `--yes`, and hands the
    /// directory and the result to `check` before the directory is removed.
    static func run(_ text: String, as name: String, _ check: (String, CLI.Result) throws -> Void) throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
        try check(dir, try CLI.run(["run", name, "--yes", "--audit-dir", dir + "/audit"], in: dir))
    }

    /// The step reads its parent's memory map: the runbook process that loaded the playbook.
    @Test func aLargePlaybooksHeapIsOneTheKernelMayBackWithHugePages() throws {
        guard Self.hugePagesAreAdvised else { return }
        let padding = (0..<1_200).map { "# line \($0) of a comment that makes the file larger than 64 KiB\n" }.joined()
        let text =
            "runbook: 1\nid: large\ntitle: A large playbook\n" + padding
            + "diagnosis:\n  - id: flags\n    run: grep -c '^VmFlags:.* hg' /proc/$PPID/smaps > advised.txt\n"
        #expect(text.utf8.count > 64 * 1024)
        try Self.run(text, as: "large.yaml") { dir, result in
            #expect(result.status == 0, "\(result.stderr)")
            let advised = try String(contentsOfFile: dir + "/advised.txt", encoding: .utf8)
            #expect(Int(advised.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 >= 1, "\(advised)")
        }
    }

    /// The heap's huge pages start close to where it was grown: what lies before them, faulted
    /// in 4 KiB at a time, is what the heap held before (some 130 KiB) and the 128 KiB left below
    /// the boundary, not the up to 2 MiB up to the next boundary.
    @Test func aLargePlaybooksHugePagesStartWhereItsHeapWasGrown() throws {
        guard Self.hugePagesAreAdvised else { return }
        // A playbook that builds a few megabytes: 1,500 steps (over 64 KiB).
        let steps = (0..<1_500).map { "  - id: s\($0)\n    run: echo step \($0)\n    when: 'false'\n" }.joined()
        let text =
            "runbook: 1\nid: large\ntitle: A large playbook\n" + "diagnosis:\n  - id: heap\n    run: |\n"
            + "      awk '/^[0-9a-f]+-[0-9a-f]+ /{name=$6; split($1,a,\"-\"); start=a[1]} /^Rss:/{rss=$2} "
            + "/^VmFlags:/{if (name==\"[heap]\") print start, rss, ($0 ~ / hg/ ? \"hg\" : \"-\")}' "
            + "/proc/$PPID/smaps > heap.txt\n" + steps
        #expect(text.utf8.count > 64 * 1024)
        try Self.run(text, as: "large.yaml") { dir, result in
            #expect(result.status == 0, "\(result.stderr)")
            // One line per part of the heap: its start (hex), its resident KiB, whether advised.
            let parts = try String(contentsOfFile: dir + "/heap.txt", encoding: .utf8).split(separator: "\n").map {
                $0.split(separator: " ").map(String.init)
            }
            let advised = try #require(parts.firstIndex { $0.count == 3 && $0[2] == "hg" }, "\(parts)")
            let start = try #require(UInt(parts[advised][0], radix: 16))
            #expect(start % (2 << 20) == 0)
            if advised > 0 {
                let before = try #require(Int(parts[advised - 1][1]))
                #expect(before <= 512, "\(parts)")
            }
        }
    }

    /// Under a limit on its memory (`ulimit -d`), a large playbook is checked on one thread:
    /// Dispatch, asked for a worker thread it could not make, waited for ever.
    @Test func aLargePlaybookIsCheckedUnderALimitOnMemoryInsteadOfWaitingForAThread() throws {
        guard !Self.underSanitizer else { return }
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let steps = (0..<2_000).map { "  - id: s\($0)\n    run: systemctl restart app-\($0)\n    when: 'true'\n" }
        let text = "runbook: 1\nid: limited\ntitle: Checked under a limit\nrecovery:\n" + steps.joined()
        try text.write(toFile: dir + "/limited.yaml", atomically: true, encoding: .utf8)
        // `timeout` ends a wait that would otherwise never end (and that a SIGTERM did not end).
        let result = try CLI.tool(
            [
                "/usr/bin/timeout", "-k", "5", "60", "/bin/sh", "-c",
                "ulimit -d 24576 && exec \"$0\" validate limited.yaml", CLI.binary,
            ],
            in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            (result.stdout + result.stderr).contains("1 playbook checked: 0 errors, 0 warnings"), "\(result.stderr)")
    }

    /// A small one is left as the allocator has it.
    @Test func aSmallPlaybooksHeapIsLeftAsItIs() throws {
        let text =
            "runbook: 1\nid: small\ntitle: A small playbook\n"
            + "diagnosis:\n  - id: flags\n    run: grep -c '^VmFlags:.* hg' /proc/$PPID/smaps > advised.txt\n"
        try Self.run(text, as: "small.yaml") { dir, result in
            // grep -c exits 1 when it counts nothing; the step then fails, which is what says "none".
            let advised = try String(contentsOfFile: dir + "/advised.txt", encoding: .utf8)
            #expect(advised.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "\(result.stderr)")
        }
    }
}
