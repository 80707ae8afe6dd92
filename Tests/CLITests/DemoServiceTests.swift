import Foundation
import RunbookTestSupport
import Testing

/// The demo service of `examples/demo`, broken and fixed by its playbooks against the real process.
@Suite(.serialized) struct DemoServiceTests {
    static var demoBinary: String {
        URL(fileURLWithPath: CLI.binary).deletingLastPathComponent().appendingPathComponent("demo-service").path
    }

    /// `demo-service get PATH` against `port`: exit status and body.
    private func get(_ path: String, port: Int) throws -> (status: Int32, body: String) {
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
    private func startDemo() throws -> (Process, Int) {
        for _ in 0..<10 {
            let port = Int.random(in: 20_000..<60_000)
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
        let (demo, port) = try startDemo()
        defer {
            if demo.isRunning { demo.terminate() }
            demo.waitUntilExit()
        }
        #expect(try get("/health", port: port) == (0, "ok\n"))
        #expect(try get("/break/unhealthy", port: port).status == 0)
        #expect(try get("/health", port: port) == (1, "unhealthy\n"))
        #expect(try get("/fault", port: port).body == "unhealthy\n")
        #expect(try get("/fix", port: port).status == 0)
        #expect(try get("/health", port: port) == (0, "ok\n"))
        #expect(try get("/break/crash", port: port).status == 0)
        demo.waitUntilExit()
        #expect(try get("/health", port: port).status == 2, "nothing answers after a crash")
    }

    @Test func theUnhealthyPlaybookRecoversTheRealService() throws {
        let (demo, port) = try startDemo()
        defer {
            if demo.isRunning { demo.terminate() }
            demo.waitUntilExit()
        }
        _ = try get("/break/unhealthy", port: port)
        let audit = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: audit) }
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
