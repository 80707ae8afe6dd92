import Foundation
import Glibc
import Synchronization
import Testing

@testable import RunbookBasics
@testable import RunbookProcess

/// Records every chunk an observer receives, in order.
private final class ChunkRecorder: OutputObserver {
    let chunks = Mutex<[(OutputChannel, [UInt8])]>([])

    func output(_ bytes: UnsafeRawBufferPointer, from channel: OutputChannel) {
        chunks.withLock { $0.append((channel, Array(bytes))) }
    }

    func text(of channel: OutputChannel) -> String {
        String(decoding: chunks.withLock { $0.filter { $0.0 == channel }.flatMap(\.1) }, as: UTF8.self)
    }
}

// Timing bounds are generous: the suite runs next to others on a small machine.
@Suite(.serialized) struct ProcessRunnerTests {
    let runner = ProcessRunner(terminationGrace: TimeSpan(milliseconds: 300))
    let environment = ["PATH": "/usr/bin:/bin"]

    private func shell(
        _ command: String, timeout: TimeSpan? = nil, detach: Bool = false, environment extra: [String: String] = [:]
    ) -> ProcessRequest {
        ProcessRequest(
            argv: ["/bin/sh", "-c", command], environment: environment.merging(extra) { $1 },
            timeout: timeout, detach: detach)
    }

    /// Gone, or a zombie waiting for init: either way no longer running.
    private func isGone(_ pid: pid_t) -> Bool {
        if kill(pid, 0) != 0 && errno == ESRCH { return true }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return true }
        return stat[stat.index(close, offsetBy: 2)] == "Z"
    }

    private func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("runner-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func reportsExitCode() {
        let outcome = runner.run(shell("exit 7"))
        #expect(outcome.exitCode == 7)
        #expect(outcome.signal == nil)
        #expect(!outcome.timedOut && !outcome.interrupted && outcome.startError == nil)
    }

    @Test func reportsTerminatingSignal() {
        let outcome = runner.run(shell("kill -KILL $$"))
        #expect(outcome.exitCode == nil)
        #expect(outcome.signal == SIGKILL)
    }

    @Test func capturesStreamsSeparatelyAndStreamsThemInOrder() {
        let recorder = ChunkRecorder()
        let outcome = runner.run(shell("echo one; sleep 0.1; echo two >&2; sleep 0.1; echo three"), observer: recorder)
        #expect(outcome.stdout.text == "one\nthree\n")
        #expect(outcome.stderr.text == "two\n")
        #expect(outcome.stdout.totalBytes == 10)
        let sequence = recorder.chunks.withLock { $0.map { ($0.0, String(decoding: $0.1, as: UTF8.self)) } }
        #expect(sequence.map(\.0) == [.stdout, .stderr, .stdout])
        #expect(sequence.map(\.1) == ["one\n", "two\n", "three\n"])
    }

    @Test func appliesEnvironmentAndWorkingDirectoryWithoutInheriting() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var request = shell("echo \"$GREETING\"; pwd -P; echo \"home=$HOME\"", environment: ["GREETING": "hello world"])
        request.workingDirectory = directory
        let outcome = runner.run(request)
        let resolved = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        #expect(outcome.stdout.text == "hello world\n\(resolved)\nhome=\n")
    }

    @Test func eachChildGetsItsOwnEnvironmentWhenTheLastBlockIsReused() {
        // The same dictionary twice (the block is reused), then one that differs only in a
        // value, then the first again: each child sees exactly its own variables.
        let base = environment.merging(["MODE": "one"]) { $1 }
        let changed = environment.merging(["MODE": "two"]) { $1 }
        let echo = { (variables: [String: String]) in
            let request = ProcessRequest(argv: ["/bin/sh", "-c", "echo \"$MODE\""], environment: variables)
            return self.runner.run(request).stdout.text
        }
        #expect([echo(base), echo(base), echo(changed), echo(base)] == ["one\n", "one\n", "two\n", "one\n"])
        #expect(EnvironmentBlock.of(base) === EnvironmentBlock.of(base))
        #expect(EnvironmentBlock.of(changed).variables == changed)
    }

    @Test func anEnvironmentThatCannotBePassedGivesStartErrorAndRunsNothing() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let marker = directory + "/ran"
        let cases: [([String: String], String)] = [
            (["BAD": "a\u{0}b"], "command, environment or directory contains a NUL byte"),
            (["B\u{0}AD": "x"], "command, environment or directory contains a NUL byte"),
            (["A=B": "x"], "environment variable names must be non-empty and contain no '='"),
            (["": "x"], "environment variable names must be non-empty and contain no '='"),
        ]
        for (extra, message) in cases {
            // Twice each: the second finds the block (and its verdict) already made.
            for _ in 0..<2 {
                let outcome = runner.run(shell("touch \(marker)", environment: extra))
                #expect(outcome.startError == message, "\(extra)")
                #expect(outcome.exitCode == nil)
            }
        }
        #expect(!FileManager.default.fileExists(atPath: marker))
        #expect(runner.run(shell("touch \(marker)")).exitCode == 0)
    }

    @Test func eachStreamsDigestIsTheSHA256OfWhatItPrinted() {
        let outcome = runner.run(shell("printf abc"))
        #expect(outcome.stdout.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // Nothing printed: the digest of no bytes.
        #expect(outcome.stderr.sha256 == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(runner.run(shell("true")).stdout.sha256 == outcome.stderr.sha256)
    }

    @Test func looksProgramsUpInTheChildsPath() {
        let found = runner.run(ProcessRequest(argv: ["true"], environment: ["PATH": "/nonexistent:/usr/bin:/bin"]))
        #expect(found.exitCode == 0)
        let missing = runner.run(ProcessRequest(argv: ["true"], environment: ["PATH": "/nonexistent"]))
        #expect(missing.startError == "command not found: true")
    }

    @Test func missingProgramGivesStartErrorAndRunsNothing() {
        let outcome = runner.run(ProcessRequest(argv: ["/nonexistent"], environment: environment))
        #expect(outcome.startError == "no such file or directory: /nonexistent")
        #expect(outcome.exitCode == nil && outcome.signal == nil)
        #expect(outcome.stdout.totalBytes == 0)
    }

    @Test func missingWorkingDirectoryGivesStartError() {
        var request = shell("true")
        request.workingDirectory = "/nonexistent-directory"
        let outcome = runner.run(request)
        #expect(outcome.startError == "cannot change to directory /nonexistent-directory: no such file or directory")
    }

    @Test func timeoutEndsTheStepWithinTheGracePeriod() {
        let outcome = runner.run(
            ProcessRequest(argv: ["sleep", "30"], environment: environment, timeout: TimeSpan(milliseconds: 200)))
        #expect(outcome.timedOut)
        #expect(outcome.signal == SIGTERM)
        #expect(outcome.duration < 1.5)
    }

    @Test func timeoutEscalatesToKillWhenTerminationIsIgnored() {
        let outcome = runner.run(shell("trap '' TERM; sleep 30; sleep 30", timeout: TimeSpan(milliseconds: 200)))
        #expect(outcome.timedOut)
        #expect(outcome.signal == SIGKILL)
        #expect(outcome.duration >= 0.5 && outcome.duration < 3)
    }

    @Test func timeoutKillsGrandchildren() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/pid"
        let outcome = runner.run(
            shell("sleep 300 & echo $! > '\(file)'; sleep 300", timeout: TimeSpan(milliseconds: 300)))
        #expect(outcome.timedOut)
        let pid = try #require(
            pid_t(try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(isGone(pid))
        #expect(outcome.leftoverPIDs.isEmpty)
    }

    @Test func backgroundChildrenDoNotOutliveANormalStep() throws {
        let outcome = runner.run(shell("sleep 300 & echo $!"))
        #expect(outcome.exitCode == 0)
        #expect(outcome.duration < 1)
        let pid = try #require(pid_t(outcome.stdout.text.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(isGone(pid))
    }

    @Test func backgroundChildrenWithoutOurPipesAreEndedToo() throws {
        let outcome = runner.run(shell("sleep 300 >/dev/null 2>&1 & echo $!"))
        #expect(outcome.duration < 1)
        let pid = try #require(pid_t(outcome.stdout.text.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(isGone(pid))
    }

    @Test func stoppedBackgroundChildrenAreEndedToo() throws {
        let outcome = runner.run(shell("sleep 300 & kill -STOP $!; echo $!"))
        #expect(outcome.duration < 1)
        let pid = try #require(pid_t(outcome.stdout.text.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(isGone(pid))
    }

    @Test func aPipeHolderOutsideTheGroupDoesNotKeepTheStepWaiting() throws {
        // setsid puts the sleep in its own session, out of reach of the group, still holding stdout.
        let outcome = runner.run(shell("setsid sleep 300 & echo $!"))
        let pid = try #require(pid_t(outcome.stdout.text.trimmingCharacters(in: .whitespacesAndNewlines)))
        defer { kill(pid, SIGKILL) }
        #expect(outcome.exitCode == 0)
        #expect(outcome.duration < 1)
    }

    @Test func detachLeavesBackgroundChildrenRunningAndReportsThem() throws {
        let outcome = runner.run(shell("sleep 300 & echo $!", detach: true))
        let pid = try #require(pid_t(outcome.stdout.text.trimmingCharacters(in: .whitespacesAndNewlines)))
        defer { kill(pid, SIGKILL) }
        #expect(outcome.exitCode == 0)
        #expect(outcome.duration < 1)
        #expect(outcome.leftoverPIDs == [pid])
        #expect(!isGone(pid))
    }

    @Test func interruptionEndsARunningStepPromptly() {
        let interruption = Interruption()
        Thread.detachNewThread {
            usleep(200_000)
            interruption.interrupt()
        }
        let outcome = runner.run(
            ProcessRequest(argv: ["sleep", "30"], environment: environment), interruption: interruption)
        #expect(outcome.interrupted)
        #expect(!outcome.timedOut)
        #expect(outcome.duration < 1)
    }

    /// The items of a `parallel:` fan-out wait side by side: one interrupt ends every one of them.
    @Test func oneInterruptionEndsEveryStepRunningAtOnce() {
        let interruption = Interruption()
        // A lock ThreadSanitizer can see (it cannot see `Synchronization.Mutex` on Linux).
        let outcomes = LockedList<ProcessOutcome>()
        let group = DispatchGroup()
        let runner = self.runner
        let environment = self.environment
        for _ in 0..<4 {
            group.enter()
            Thread.detachNewThread {
                let outcome = runner.run(
                    ProcessRequest(argv: ["sleep", "30"], environment: environment), interruption: interruption)
                outcomes.append(outcome)
                group.leave()
            }
        }
        usleep(500_000)
        interruption.interrupt()
        #expect(group.wait(timeout: .now() + 5) == .success)
        let ended = outcomes.items
        #expect(ended.count == 4)
        #expect(ended.allSatisfy { $0.interrupted && $0.duration < 2 })
    }

    @Test func anInterruptionThatAlreadyFiredStartsNothingUntilReset() {
        let interruption = Interruption()
        interruption.interrupt()
        let refused = runner.run(shell("exit 0"), interruption: interruption)
        #expect(refused.interrupted && refused.exitCode == nil)
        interruption.reset()
        #expect(!interruption.isInterrupted)
        let ran = runner.run(shell("exit 0"), interruption: interruption)
        #expect(ran.exitCode == 0 && !ran.interrupted)
    }

    @Test func hugeOutputKeepsOnlyTheLimitButCountsAndHashesEverything() throws {
        let outcome = runner.run(shell("head -c 200000000 /dev/zero"))
        #expect(outcome.exitCode == 0)
        #expect(outcome.stdout.text.utf8.count == 1 << 20)
        #expect(outcome.stdout.totalBytes == 200_000_000)
        #expect(outcome.stdout.tail.utf8.count == 4096)
        let reference = runner.run(shell("head -c 200000000 /dev/zero | sha256sum"))
        #expect(reference.stdout.text.hasPrefix(outcome.stdout.sha256 + " "))
        #expect(outcome.duration < 10)
    }

    @Test func tailHoldsTheLastBytes() {
        let outcome = runner.run(shell("seq 1 3000"))
        #expect(outcome.stdout.tail.hasSuffix("2999\n3000\n"))
        #expect(outcome.stdout.tail.utf8.count <= 4096)
        #expect(outcome.stdout.text.hasPrefix("1\n2\n"))
    }

    @Test func childClosingStdoutEarlyIsStillWaitedFor() {
        let outcome = runner.run(shell("echo early; exec 1>&-; sleep 0.3; echo late >&2"))
        #expect(outcome.exitCode == 0)
        #expect(outcome.stdout.text == "early\n")
        #expect(outcome.stderr.text == "late\n")
        #expect(outcome.duration >= 0.3)
    }

    @Test func mainChildIsReaped() throws {
        let outcome = runner.run(shell("echo $$"))
        let pid = try #require(pid_t(outcome.stdout.text.trimmingCharacters(in: .whitespacesAndNewlines)))
        // Reaped means no /proc entry is left as our zombie.
        #expect(isGone(pid))
        #expect(!FileManager.default.fileExists(atPath: "/proc/\(pid)"))
    }

    @Test func runsLeakNoFileDescriptors() throws {
        let before = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
        for _ in 0..<30 { _ = runner.run(shell("echo x; echo y >&2")) }
        _ = runner.run(ProcessRequest(argv: ["/nonexistent"], environment: environment))
        let after = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
        // Other suites may open a file or two meanwhile; a leak would show up as 60 or more.
        #expect(after - before < 10)
    }
}

/// A list appended to from several threads under an `NSLock` (a pthread mutex).
private final class LockedList<Element>: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [Element] = []

    func append(_ element: Element) {
        lock.lock()
        list.append(element)
        lock.unlock()
    }

    var items: [Element] {
        lock.lock()
        defer { lock.unlock() }
        return list
    }
}
