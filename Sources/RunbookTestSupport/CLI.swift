import Foundation
import Synchronization

/// Runs the built `runbook` binary the way a user would, for end-to-end tests.
package enum CLI {
    /// What one invocation produced.
    package struct Result: Sendable {
        package var status: Int32
        package var stdout: String
        package var stderr: String
    }

    /// The binary next to the test bundle (override with `RUNBOOK_BIN`).
    package static var binary: String {
        if let path = ProcessInfo.processInfo.environment["RUNBOOK_BIN"] { return path }
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [bundle, bundle.deletingLastPathComponent()].map { $0.appendingPathComponent("runbook").path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? Fixtures.root.appendingPathComponent(".build/debug/runbook").path
    }

    /// Runs `runbook ARGS` in `directory` with a controlled environment (no colour, no inherited RUNBOOK_*).
    package static func run(
        _ arguments: [String], in directory: String = Fixtures.path(""), environment: [String: String] = [:],
        stdin: String? = nil, withoutTerminal: Bool = false
    ) throws -> Result {
        // setsid drops the controlling terminal, as a cron job or CI runner has none.
        try tool(
            (withoutTerminal ? ["/usr/bin/setsid", "-w"] : []) + [binary] + arguments, in: directory,
            environment: environment, stdin: stdin)
    }

    /// Runs any program (`argv[0]` a path: Graphviz, bash, …) as `run` runs runbook; standard
    /// input is written from a thread of its own, so a large input cannot deadlock with the output.
    package static func tool(
        _ argv: [String], in directory: String = Fixtures.path(""), environment: [String: String] = [:],
        stdin: String? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: argv[0])
        process.arguments = Array(argv.dropFirst())
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = testEnvironment(environment)
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        let writer = input.fileHandleForWriting
        let bytes = Data((stdin ?? "").utf8)
        Thread.detachNewThread {
            writer.write(bytes)
            try? writer.close()
        }
        return collect(process, out: out, err: err)
    }

    /// This process's environment without RUNBOOK_* and colour, plus `extra`.
    package static func testEnvironment(_ extra: [String: String]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("RUNBOOK_") }
        env["NO_COLOR"] = "1"
        env.merge(extra) { _, new in new }
        return env
    }

    /// Reads both pipes concurrently (so a chatty child cannot block on a full pipe), then waits for the exit.
    static func collect(_ process: Process, out: Pipe, err: Pipe) -> Result {
        let group = DispatchGroup()
        let errData = Mutex(Data())
        group.enter()
        DispatchQueue.global().async {
            let data = err.fileHandleForReading.readDataToEndOfFile()
            errData.withLock { $0 = data }
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: errData.withLock { String(decoding: $0, as: UTF8.self) })
    }

    /// A failed precondition of a CLI test, with what went wrong.
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
        package init(description: String) { self.description = description }
    }

    /// A `runbook` started without a terminal and still running, so a test can signal it.
    package final class Running: Sendable {
        let process: Process
        let out = Pipe()
        let err = Pipe()

        init(_ arguments: [String], in directory: String, environment: [String: String]) throws {
            process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
            process.arguments = ["-w", CLI.binary] + arguments
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
            process.environment = CLI.testEnvironment(environment)
            process.standardOutput = out
            process.standardError = err
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }

        /// Waits for the exit and returns what it printed.
        package func wait() -> Result {
            CLI.collect(process, out: out, err: err)
        }
    }

    /// Runs a `/bin/sh` command line for a test's setup; returns its exit status.
    @discardableResult
    package static func shell(_ command: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Starts `runbook ARGS` without a terminal and returns at once.
    package static func start(
        _ arguments: [String], in directory: String, environment: [String: String] = [:]
    ) throws -> Running {
        try Running(arguments, in: directory, environment: environment)
    }

    /// The PIDs that steps wrote to these files of `directory` (`echo $$ > NAME`), in order, once
    /// every file holds one; nil when they do not within 10 s.
    package static func waitForPIDs(_ files: [String], in directory: String) -> [pid_t]? {
        for _ in 0..<200 {
            let pids = files.compactMap { name in
                (try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)).flatMap {
                    pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines))
                }
            }
            if pids.count == files.count { return pids }
            usleep(50_000)
        }
        return nil
    }

    /// A fresh temporary directory, removed by the caller with `FileManager.removeItem`.
    package static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: path, withIntermediateDirectories: true)
        return path.path
    }
}
