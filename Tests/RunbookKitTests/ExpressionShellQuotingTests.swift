import Foundation
import Testing

@testable import RunbookKit

/// Runs rendered commands through a real `/bin/sh` to prove values arrive literally and nothing runs.
@Suite struct ExpressionShellQuotingTests {
    /// Runs `command` with `/bin/sh -c` in `directory` and returns its stdout bytes.
    private func sh(_ command: String, in directory: URL) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = directory
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(command)")
        return data
    }

    private func makeDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-quote-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // Files for an unquoted `*` to expand to.
        for name in ["alpha", "beta"] {
            _ = FileManager.default.createFile(atPath: dir.appendingPathComponent(name).path, contents: nil)
        }
        return dir
    }

    static let payloads: [String] = [
        "plain", "it's", "'", "''", "'\\''", "a b  c", "$(touch pwned)", "`touch pwned`", "'$(touch pwned)'",
        "x; touch pwned", "x | touch pwned", "x && touch pwned", "x\ntouch pwned", "line1\nline2\n", "*", "./*", "?",
        "[ab]*", "$HOME", "${HOME}", "~", "~/x", "a\\b", "\\", "\\'", "\"", "\"$(touch pwned)\"", "", " ", "\t",
        "é🚀 中文", "e\u{301}'", "'\u{301}; touch pwned; '\u{301}", "#comment", "-n", "--", "%s%s", "> pwned",
        "< /etc/passwd", "&", "!", "{a,b}",
    ]

    @Test(arguments: payloads)
    func shellReceivesTheLiteralValueAndRunsNothing(_ payload: String) throws {
        let dir = try makeDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let scope = ExpressionScope(params: ["x": .string(payload)])
        let template = try Template(parsing: ExprTest.source("printf %s {{ params.x }}"), mode: .shell)
        let command = try template.render(in: scope).real
        let output = try sh(command, in: dir)
        #expect(output == Data(payload.utf8), "\(command)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("pwned").path))
    }

    @Test func listValuesBecomeSeparateLiteralWords() throws {
        let dir = try makeDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let scope = ExpressionScope(params: [
            "xs": .list([.string("a b"), .string("$(touch pwned)"), .string("*"), .number(3)])
        ])
        let template = try Template(parsing: ExprTest.source("printf '<%s>' {{ params.xs }}"), mode: .shell)
        let output = try sh(try template.render(in: scope).real, in: dir)
        #expect(String(decoding: output, as: UTF8.self) == "<a b><$(touch pwned)><*><3>")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("pwned").path))
    }

    @Test func rawInsertsShellSyntaxVerbatim() throws {
        let dir = try makeDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let scope = ExpressionScope(params: ["files": .string("alpha beta")])
        let template = try Template(parsing: ExprTest.source("ls {{ raw(params.files) }} | wc -l"), mode: .shell)
        let output = try sh(try template.render(in: scope).real, in: dir)
        #expect(String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == "2")
    }
}
