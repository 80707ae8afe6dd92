import Foundation
import Synchronization

extension CLI {
    /// Runs `runbook ARGS` with a pseudo-terminal as its controlling terminal (through
    /// util-linux `script`), answering each prompt once its text has appeared: `answers` pairs
    /// the text to wait for with the line to type. Output is the terminal's (stdout and stderr
    /// together, with CR LF line ends turned into LF).
    package static func atTerminal(
        _ arguments: [String], in directory: String, environment: [String: String] = [:],
        answers: [(after: String, type: String)]
    ) throws -> Result {
        let command = ([binary] + arguments).map(shellQuoted).joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qefc", command, "/dev/null"]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = testEnvironment(environment)
        let out = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = out
        process.standardInput = input
        let seen = Mutex("")
        let done = DispatchSemaphore(value: 0)
        try process.run()
        DispatchQueue.global().async {
            while true {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                seen.withLock { $0 += String(decoding: chunk, as: UTF8.self) }
            }
            done.signal()
        }
        var from = 0
        for answer in answers {
            // Wait (up to 20 s) for the prompt after the previous one, then type the answer.
            for _ in 0..<400 {
                let text = seen.withLock { $0 }
                if let range = text.range(
                    of: answer.after,
                    range: text.index(text.startIndex, offsetBy: min(from, text.count))..<text.endIndex)
                {
                    from = text.distance(from: text.startIndex, to: range.upperBound)
                    break
                }
                usleep(50_000)
            }
            input.fileHandleForWriting.write(Data((answer.type + "\n").utf8))
        }
        done.wait()
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()
        let text = seen.withLock { $0 }.replacingOccurrences(of: "\r\n", with: "\n")
        return Result(status: process.terminationStatus, stdout: text, stderr: "")
    }

    private static func shellQuoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
