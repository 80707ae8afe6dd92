import Foundation
import Glibc
import RunbookBasics
import RunbookTestSupport
import Testing

/// Steps with `on:` against a real OpenSSH server on 127.0.0.1, reached through two inventory
/// aliases of it (README: targets).
@Suite(.serialized, .enabled(if: SSHServer.isAvailable, "needs openssh-server and openssh-client"))
struct RemoteTargetTests {
    let server: SSHServer
    let dir: String

    init() throws {
        server = try SSHServer()
        dir = try CLI.temporaryDirectory()
    }

    /// Runs the playbook; every run must remove its connection directory when it ends.
    private func run(_ playbook: String, _ args: [String] = []) throws -> CLI.Result {
        try playbook.write(toFile: dir + "/remote.yaml", atomically: true, encoding: .utf8)
        let before = try Self.connectionDirectories()
        let result = try CLI.run(
            ["run", "remote.yaml", "--yes", "--inventory", server.inventory, "--audit-dir", dir + "/audit"] + args,
            in: dir, environment: ["RUNBOOK_LOCK_DIR": dir + "/locks"], withoutTerminal: true)
        // One left by another program is not this run's.
        #expect(try Self.connectionDirectories().subtracting(before).isEmpty, "a run left its connection directory")
        return result
    }

    private static func connectionDirectories() throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: "/tmp").filter { $0.hasPrefix("runbook-ssh-") })
    }

    private func records(_ event: String) -> [[String: JSONValue]] {
        ((try? String(contentsOfFile: dir + "/audit/audit.jsonl", encoding: .utf8)) ?? "").split(separator: "\n")
            .compactMap { JSONValue.parse(String($0))?.objectFields }.filter { $0["event"]?.string == event }
    }

    @Test func eachHostRunsWithItsOwnRecordsAndTheValuesArriveLiterally() throws {
        let payloads = ["$(touch \(dir)/pwned)", "a'b\"c", "x; touch \(dir)/pwned2", "`id`"]
        let result = try run(
            """
            runbook: 1
            id: remote
            title: Remote
            params:
              words: {type: list}
            recovery:
              - id: hello
                on: web
                env: {WHO: '{{ item }} {{ params.words }}'}
                run: 'printf "%s|" "$WHO" {{ params.words }} >> \(dir)/trace; echo >> \(dir)/trace'
            """, payloads.flatMap { ["-p", "words=\($0)"] })
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        // In env: the list is its JSON text; in the command, one word per item.
        let json = JSONValue.array(payloads.map(JSONValue.string)).canonical
        let line = "\(json)|\(payloads.joined(separator: "|"))|\n"
        #expect(
            (try? String(contentsOfFile: dir + "/trace", encoding: .utf8)) == "web-1 " + line + "web-2 " + line)
        #expect(!FileManager.default.fileExists(atPath: dir + "/pwned"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/pwned2"))
        #expect(records("step.start").compactMap { $0["host"]?.string } == ["web-1", "web-2"])
        #expect(records("step.end").compactMap { $0["host"]?.string } == ["web-1", "web-2"])
        #expect(result.stdout.contains("▸ hello[1] (web-2)"))
    }

    /// `parallel:` over hosts: both run at once, each with its own records.
    @Test func hostsRunInParallel() throws {
        let began = Date()
        let result = try run(
            """
            runbook: 1
            id: remote
            title: Parallel hosts
            recovery:
              - {id: nap, on: web, parallel: 2, run: 'sleep 2; echo {{ item }} >> \(dir)/napped'}
            """)
        let took = Date().timeIntervalSince(began)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(
            took < 4.2,
            "two 2 s steps on two hosts with parallel: 2 took \(took) s (one after the other: 4.4 s at least)")
        let napped = (try? String(contentsOfFile: dir + "/napped", encoding: .utf8)) ?? ""
        #expect(Set(napped.split(separator: "\n")) == ["web-1", "web-2"])
        #expect(Set(records("step.end").compactMap { $0["host"]?.string }) == ["web-1", "web-2"])
    }

    /// `on:` on a phase: each run step of it runs on every host, one step after the other.
    @Test func aPhaseRunsOnItsHosts() throws {
        let result = try run(
            """
            runbook: 1
            id: remote
            title: Phase on hosts
            recovery:
              on: web
              steps:
                - {id: first, run: 'echo first {{ item }} >> \(dir)/order'}
                - {id: second, run: 'echo second {{ item }} >> \(dir)/order'}
            """)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let order = (try? String(contentsOfFile: dir + "/order", encoding: .utf8)) ?? ""
        #expect(order == "first web-1\nfirst web-2\nsecond web-1\nsecond web-2\n")
        #expect(records("step.end").compactMap { $0["host"]?.string } == ["web-1", "web-2", "web-1", "web-2"])
    }

    @Test func manyStepsOnAHostShareOneConnection() throws {
        let steps = (0..<20).map { "  - {id: s\($0), on: web-1, run: 'true'}\n" }.joined()
        let result = try run("runbook: 1\nid: remote\ntitle: Many\nrecovery:\n" + steps)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let handshakes = server.log.components(separatedBy: "Accepted publickey").count - 1
        #expect(handshakes == 1, "\(server.log)")
    }

    @Test func aTimeoutLeavesNoRemoteProcess() throws {
        let result = try run(
            """
            runbook: 1
            id: remote
            title: Hang
            recovery:
              - {id: hang, on: web-1, timeout: 1s, run: 'echo $$ > \(dir)/remote.pid; exec sleep 4711'}
            """)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("hang[0] timed_out"))
        let pid = try #require(
            pid_t(
                try String(contentsOfFile: dir + "/remote.pid", encoding: .utf8).trimmingCharacters(
                    in: .whitespacesAndNewlines)))
        var gone = false
        for _ in 0..<100 where !gone {
            gone = kill(pid, 0) != 0
            if !gone { usleep(100_000) }
        }
        #expect(gone, "the remote command \(pid) is still running")
    }

    @Test func aRefusedConnectionIsAConnectionFailureAndOnlyThatIsRetried() throws {
        let result = try run(
            """
            runbook: 1
            id: remote
            title: Down
            recovery:
              - {id: reach, on: down, run: 'true', retry: {attempts: 2, delay: 0s, on: connection}}
            """)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("could not reach down (ssh exit 255)"), "\(result.stdout)")
        #expect(result.stdout.contains("Connection refused"), "\(result.stdout)")
        let end = try #require(records("step.end").first { $0["step"]?.string == "reach[0]" })
        #expect(end["connection_failed"] == .bool(true))
        #expect(end["attempts"]?.int == 2)
        let own = try run(
            """
            runbook: 1
            id: remote
            title: Own failure
            recovery:
              - {id: fails, on: web-1, run: 'exit 3', retry: {attempts: 3, delay: 0s, on: connection}}
            """)
        #expect(own.status == 1)
        let ownEnd = try #require(records("step.end").first { $0["step"]?.string == "fails[0]" })
        #expect(ownEnd["attempts"]?.int == 1, "a command's own failure is not retried by on: connection")
        #expect(ownEnd["exit_code"]?.int == 3)
        #expect(ownEnd["connection_failed"] == nil)
    }

    @Test func anUnknownHostKeyIsRefused() throws {
        let result = try run(
            """
            runbook: 1
            id: remote
            title: Stranger
            recovery:
              - {id: reach, on: stranger, run: 'touch \(dir)/reached'}
            """)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("Host key verification failed"), "\(result.stdout)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/reached"))
    }

    @Test func namesAreCheckedBeforeTheFirstStepAndLimitNarrowsTheHosts() throws {
        let playbook = """
            runbook: 1
            id: remote
            title: Names
            recovery:
              - {id: first, run: 'touch \(dir)/first'}
              - {id: reach, on: [web-1, wbe-2], run: 'true'}
            """
        let result = try run(playbook)
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(
            result.stderr.contains("remote.yaml:6:29: error: 'wbe-2' is not a host or group of"), "\(result.stderr)")
        #expect(result.stderr.contains("did you mean 'web-2'?"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/first"))
        let limited = try run(
            playbook.replacingOccurrences(of: "wbe-2", with: "web-2"), ["--limit", "web-2"])
        #expect(limited.status == 0, "\(limited.stdout)\(limited.stderr)")
        #expect(records("step.start").compactMap { $0["host"]?.string }.suffix(1) == ["web-2"])
        let unknownLimit = try run(playbook.replacingOccurrences(of: "wbe-2", with: "web-2"), ["--limit", "nope"])
        #expect(unknownLimit.status == 2)
        #expect(unknownLimit.stderr.contains("--limit nope: not a host or group of"))
    }

    /// `triage` probes a symptom on each host of the inventory and shows which host has it.
    @Test func triageProbesSymptomsOnTheirHosts() throws {
        try """
        runbook: 1
        id: remote
        title: Flag on a host
        severity: P2
        symptoms:
          - {id: flagged, on: web, readonly: true, run: 'test -f \(dir)/flag-{{ item }}'}
        recovery:
          - {id: clear, run: 'true'}
        """.write(toFile: dir + "/remote.yaml", atomically: true, encoding: .utf8)
        let triage = {
            try CLI.run(
                ["triage", "remote.yaml", "--inventory", server.inventory, "--audit-dir", dir + "/audit"], in: dir,
                environment: ["RUNBOOK_LOCK_DIR": dir + "/locks"], withoutTerminal: true)
        }
        let clean = try triage()
        #expect(clean.status == 1, "\(clean.stdout)\(clean.stderr)")
        _ = FileManager.default.createFile(atPath: dir + "/flag-web-2", contents: nil)
        let flagged = try triage()
        #expect(flagged.status == 0, "\(flagged.stdout)\(flagged.stderr)")
        // One symptom, however many hosts it probed; the evidence is the host that has it.
        #expect(flagged.stdout.contains("remote [P2] — Flag on a host: 1 of 1 symptoms present"), "\(flagged.stdout)")
        #expect(flagged.stdout.contains("✔ flagged[1]"), "\(flagged.stdout)")
        // Every host is probed although the first has no flag: a symptom fan-out has no budget.
        let ends = records("step.end").filter { $0["step"]?.string?.hasPrefix("flagged[") == true }
        #expect(ends.suffix(2).compactMap { $0["host"]?.string } == ["web-1", "web-2"])
        #expect(ends.suffix(2).compactMap { $0["exit_code"]?.int } == [1, 0])
    }

    /// A game day injects and reverts on a host as its steps say, and checks the symptom there.
    @Test func aGameDayInjectsAndRevertsOnAHost() throws {
        try """
        runbook: 1
        id: remote
        title: Flag game day
        severity: P2
        symptoms:
          - {id: flagged, on: web-1, readonly: true, run: 'test -f \(dir)/flag'}
        recovery:
          - {id: clear, on: web-1, run: 'rm -f \(dir)/flag'}
        gameday:
          inject:
            - {id: plant, on: web-1, run: 'touch \(dir)/flag'}
          revert:
            - {id: unplant, on: web-1, run: 'rm -f \(dir)/flag; touch \(dir)/reverted'}
        """.write(toFile: dir + "/remote.yaml", atomically: true, encoding: .utf8)
        let result = try CLI.run(
            [
                "gameday", "remote.yaml", "--yes", "--inventory", server.inventory, "--detect-within", "20s",
                "--interval", "200ms", "--audit-dir", dir + "/audit",
            ], in: dir, environment: ["RUNBOOK_LOCK_DIR": dir + "/locks"], withoutTerminal: true)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir + "/reverted"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/flag"))
        let hosts = Set(records("step.start").compactMap { $0["host"]?.string })
        #expect(hosts == ["web-1"])
    }

    @Test func aLaterRollbackUndoesEachHostOnThatHost() throws {
        let result = try run(
            """
            runbook: 1
            id: remote
            title: Undo on hosts
            recovery:
              - id: drain
                on: web
                run: 'echo "drain {{ item }}" >> \(dir)/trace'
                rollback: {run: 'echo "undrain {{ item }} $(hostname)" >> \(dir)/trace'}
            """)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let run = try #require(records("run.start").first?["run"]?.string)
        let undo = try CLI.run(
            ["rollback", run, "--yes", "--inventory", server.inventory, "--audit-dir", dir + "/audit"], in: dir,
            environment: ["RUNBOOK_LOCK_DIR": dir + "/locks"], withoutTerminal: true)
        #expect(undo.status == 0, "\(undo.stdout)\(undo.stderr)")
        // Newest first, each with its own host's name.
        let trace = (try? String(contentsOfFile: dir + "/trace", encoding: .utf8)) ?? ""
        let lines = trace.split(separator: "\n").map { $0.split(separator: " ").prefix(2).joined(separator: " ") }
        #expect(lines == ["drain web-1", "drain web-2", "undrain web-2", "undrain web-1"], "\(trace)")
        let ends = records("rollback.end").compactMap { $0["host"]?.string }
        #expect(ends == ["web-2", "web-1"], "\(ends)")
        // The incident report names the host of each run and of each rollback.
        let report = try CLI.run(["report", run, "--audit-dir", dir + "/audit"], in: dir)
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.contains("| `drain[1]` on `web-2` |"), "\(report.stdout)")
        let undoRun = try #require(records("run.start").last?["run"]?.string)
        let undoReport = try CLI.run(["report", undoRun, "--audit-dir", dir + "/audit"], in: dir)
        #expect(undoReport.stdout.contains("| `drain[1].rollback` on `web-2` |"), "\(undoReport.stdout)")
    }

    @Test func ctrlCEndsTheRemoteCommandToo() throws {
        try """
        runbook: 1
        id: remote
        title: Interrupt
        recovery:
          - {id: local, run: 'echo $PPID > \(dir)/runbook.pid', readonly: true}
          - {id: hang, on: web-1, run: 'echo $$ > \(dir)/remote.pid; exec sleep 4712'}
        """.write(toFile: dir + "/remote.yaml", atomically: true, encoding: .utf8)
        let running = try CLI.start(
            ["run", "remote.yaml", "--yes", "--inventory", server.inventory, "--audit-dir", dir + "/audit"], in: dir,
            environment: ["RUNBOOK_LOCK_DIR": dir + "/locks"])
        let pids = try #require(CLI.waitForPIDs(["runbook.pid", "remote.pid"], in: dir))
        let (runbook, remote) = (pids[0], pids[1])
        kill(runbook, SIGINT)
        let result = running.wait()
        #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("Outcome: interrupted by SIGINT"), "\(result.stdout)")
        var gone = false
        for _ in 0..<100 where !gone {
            gone = kill(remote, 0) != 0
            if !gone { usleep(100_000) }
        }
        #expect(gone, "the remote command \(remote) is still running")
    }
}
