import Foundation
import RunbookTestSupport
import Testing

/// The demo service of `examples/demo`, broken and fixed by its playbooks against the real process.
@Suite(.serialized) struct DemoServiceTests {
    static var demoBinary: String {
        URL(fileURLWithPath: CLI.binary).deletingLastPathComponent().appendingPathComponent("demo-service").path
    }

    /// `demo-service get PATH` against `port`: exit status and body.
    func get(_ path: String, port: Int) throws -> (status: Int32, body: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.demoBinary)
        process.arguments = ["get", path]
        process.environment = ["DEMO_PORT": String(port)]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Starts the service on a free port (tried at random) and waits until it answers.
    /// The demo service started for one test, with a scratch folder (and its `locks`); both
    /// are ended and removed with it.
    final class Demo {
        let process: Process
        let port: Int
        let dir: String

        init(_ tests: DemoServiceTests) throws {
            (process, port) = try tests.startDemo()
            dir = try CLI.temporaryDirectory()
            try FileManager.default.createDirectory(atPath: dir + "/locks", withIntermediateDirectories: true)
        }

        deinit {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    func startDemo() throws -> (Process, Int) {
        for _ in 0..<10 {
            // Below the range Linux picks local ports from (32768 and up by default), where a
            // connection to a port nobody listens on can connect to itself.
            let port = Int.random(in: 20_000..<32_768)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.demoBinary)
            process.arguments = ["serve"]
            process.environment = ["DEMO_PORT": String(port)]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            for _ in 0..<50 {
                if try get("/health", port: port).status == 0 { return (process, port) }
                if !process.isRunning { break }
                usleep(100_000)
            }
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
        throw CLI.Failure(description: "the demo service did not start")
    }

    @Test func theServiceBreaksAndIsFixedOverHTTP() throws {
        let demo = try Demo(self)
        defer { withExtendedLifetime(demo) {} }
        let port = demo.port
        #expect(try get("/health", port: port) == (0, "ok\n"))
        #expect(try get("/break/unhealthy", port: port).status == 0)
        #expect(try get("/health", port: port) == (1, "unhealthy\n"))
        #expect(try get("/fault", port: port).body == "unhealthy\n")
        #expect(try get("/fix", port: port).status == 0)
        #expect(try get("/health", port: port) == (0, "ok\n"))
        #expect(try get("/break/crash", port: port).status == 0)
        demo.process.waitUntilExit()
        #expect(try get("/health", port: port).status == 2, "nothing answers after a crash")
    }

    @Test func theUnhealthyPlaybookRecoversTheRealService() throws {
        let demo = try Demo(self)
        defer { withExtendedLifetime(demo) {} }
        let port = demo.port
        _ = try get("/break/unhealthy", port: port)
        let audit = demo.dir
        let result = try CLI.run(
            [
                "run", "examples/demo/playbooks/demo-unhealthy.yaml", "--yes", "-p", "port=\(port)", "--audit-dir",
                audit,
            ], in: Fixtures.root.path, environment: ["RUNBOOK_LOCK_DIR": audit + "/locks"])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("Outcome: recovered"))
        #expect(try get("/health", port: port) == (0, "ok\n"))
        #expect(try CLI.run(["audit", "verify", "--audit-dir", audit]).status == 0)
    }
}

/// `runbook gameday` against the real demo service (SPEC §5).
extension DemoServiceTests {
    @Test func aGameDayInjectsDetectsRecoversAndReverts() throws {
        let demo = try Demo(self)
        defer { withExtendedLifetime(demo) {} }
        let port = demo.port
        let audit = demo.dir
        let result = try CLI.run(
            [
                "gameday", "examples/demo/playbooks/demo-unhealthy.yaml", "--yes", "-p", "port=\(port)",
                "--interval", "1s", "--detect-within", "10s", "--audit-dir", audit,
            ], in: Fixtures.root.path, environment: ["RUNBOOK_LOCK_DIR": audit + "/locks"])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("GAME DAY SCORECARD\n  detected: yes, after "))
        #expect(result.stdout.contains("  reverted: yes\n  back to steady state: yes\n  result: passed — exit 0\n"))
        #expect(try get("/health", port: port) == (0, "ok\n"))
        #expect(demo.process.isRunning, "the game day leaves the service it found running")
        #expect(try CLI.run(["audit", "verify", "--audit-dir", audit]).status == 0)
        let list = try CLI.run(["audit", "list", "--audit-dir", audit])
        #expect(list.stdout.contains("gameday"))
    }

    @Test func aGameDayScorecardAsJSON() throws {
        let demo = try Demo(self)
        defer { withExtendedLifetime(demo) {} }
        let result = try CLI.run(
            [
                "gameday", "examples/demo/playbooks/demo-unhealthy.yaml", "--yes", "-p", "port=\(demo.port)",
                "--interval", "1s", "--detect-within", "10s", "--audit-dir", demo.dir, "--json",
            ], in: Fixtures.root.path, environment: ["RUNBOOK_LOCK_DIR": demo.dir + "/locks"])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let card = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(card["passed"] as? Bool == true)
        #expect(card["injected"] as? Bool == true)
        #expect(card["reverted"] as? Bool == true)
        #expect(card["steady_after"] as? Bool == true)
        #expect(card["recovery"] as? String == "recovered")
        #expect((card["detect_ms"] as? Int).map { $0 >= 0 } == true)
    }

    @Test func aGameDayWhoseRecoveryFailsStillRevertsAndFails() throws {
        let demo = try Demo(self)
        defer { withExtendedLifetime(demo) {} }
        let port = demo.port
        let dir = demo.dir
        let ctl = Fixtures.root.path + "/examples/demo/ctl"
        try """
        runbook: 1
        id: broken-fix
        title: A fix that does not work
        params: {port: {type: int, default: 8686}}
        symptoms:
          - {id: failing, run: "\(ctl) get /health", env: {DEMO_PORT: "{{ params.port }}"}, expect: exit_code == 1}
        recovery:
          - {id: wrong_fix, run: "false"}
        gameday:
          inject: [{id: inject, run: "\(ctl) get /break/unhealthy", env: {DEMO_PORT: "{{ params.port }}"}}]
          revert: [{id: revert, run: "\(ctl) get /fix", env: {DEMO_PORT: "{{ params.port }}"}}]
        """.write(toFile: dir + "/broken-fix.yaml", atomically: true, encoding: .utf8)
        let result = try CLI.run(
            ["gameday", "broken-fix.yaml", "--yes", "-p", "port=\(port)", "--interval", "1s", "--audit-dir", dir],
            in: dir, environment: ["RUNBOOK_LOCK_DIR": dir + "/locks"])
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("  recovery: failed"))
        #expect(result.stdout.contains("  reverted: yes\n  back to steady state: yes\n  result: FAILED — exit 1\n"))
        #expect(try get("/health", port: port) == (0, "ok\n"), "the fault was reverted")
    }

    @Test func aGameDayRefusesWhenASymptomIsAlreadyPresent() throws {
        let demo = try Demo(self)
        defer { withExtendedLifetime(demo) {} }
        let port = demo.port
        _ = try get("/break/unhealthy", port: port)
        let audit = demo.dir
        let result = try CLI.run(
            [
                "gameday", "examples/demo/playbooks/demo-unhealthy.yaml", "--yes", "-p", "port=\(port)", "--audit-dir",
                audit,
            ],
            in: Fixtures.root.path, environment: ["RUNBOOK_LOCK_DIR": audit + "/locks"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("refused: a symptom was present before anything was injected"))
        #expect(try get("/fault", port: port).body == "unhealthy\n", "nothing was injected or reverted")
    }
}

extension DemoServiceTests {
    @Test func aFiredStopConditionEndsTheRunningStepAndRevertsAtOnce() throws {
        let demo = try Demo(self)
        defer { withExtendedLifetime(demo) {} }
        let port = demo.port
        let dir = demo.dir
        let ctl = Fixtures.root.path + "/examples/demo/ctl"
        // The probe fails once the slow fix has started: the fix must end early and the fault be reverted.
        try """
        runbook: 1
        id: stop
        title: A stop condition fires
        params: {port: {type: int, default: 8686}}
        symptoms:
          - {id: failing, run: "\(ctl) get /health", env: {DEMO_PORT: "{{ params.port }}"}, expect: exit_code == 1}
        recovery:
          - {id: slow_fix, run: "touch \(dir)/fix-started; sleep 30"}
        gameday:
          interval: 1s
          inject: [{id: inject, run: "\(ctl) get /break/unhealthy", env: {DEMO_PORT: "{{ params.port }}"}}]
          revert: [{id: revert, run: "\(ctl) get /fix", env: {DEMO_PORT: "{{ params.port }}"}}]
          stop_if:
            - {id: budget, run: "test ! -e \(dir)/fix-started"}
        """.write(toFile: dir + "/stop.yaml", atomically: true, encoding: .utf8)
        let started = Date()
        let result = try CLI.run(
            ["gameday", "stop.yaml", "--yes", "-p", "port=\(port)", "--interval", "1s", "--audit-dir", dir],
            in: dir, environment: ["RUNBOOK_LOCK_DIR": dir + "/locks"])
        #expect(Date().timeIntervalSince(started) < 20, "the 30 s step was ended by the stop condition")
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("  stopped by: stop condition 'budget' (the fault was reverted at once)\n"))
        #expect(result.stdout.contains("  reverted: yes\n"))
        #expect(!result.stdout.contains("Left in place"), "the injection and its revert are the exercise")
        #expect(try get("/health", port: port) == (0, "ok\n"))
    }
}
