import Foundation
import RunbookAudit
import RunbookBasics
import RunbookDiagnostics
import RunbookTestSupport
import Testing

/// SPEC §3: every kind of tampering is found by `audit verify`, and the line it names is the first broken one.
@Suite struct AuditTrailTests {
    static let playbook = """
        runbook: 1
        id: audit-demo
        title: Audit demo
        severity: P3
        diagnosis:
          - id: look
            run: echo looking
        recovery:
          - id: fix
            run: echo fixing
            confirm: Fix it?
            rollback:
              run: echo undo
        verify:
          - id: check
            run: 'false'
        prevention:
          - Add an alert

        """

    /// A workspace holding one run of the demo playbook; returns it with what the run printed.
    private func recordedRun(key: String? = nil) throws -> (AuditWorkspace, run: String, head: String) {
        let ws = try AuditWorkspace()
        try ws.playbook("demo", Self.playbook)
        let result = try ws.run(
            ["run", "demo.yaml", "--yes"], environment: key.map { ["RUNBOOK_AUDIT_KEY": $0] } ?? [:])
        #expect(result.status == 1, "\(result.stderr)")
        let printed = try #require(AuditWorkspace.printedHead(result.stdout), "\(result.stdout)")
        #expect(try ws.verify(key: key).status == 0)
        return (ws, printed.run, printed.head)
    }

    private func expectBroken(
        _ ws: AuditWorkspace, line: Int, _ because: String, key: String? = nil,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws {
        let result = try ws.verify(key: key)
        #expect(result.status == 1, sourceLocation: sourceLocation)
        #expect(
            result.stderr.contains("audit.jsonl:\(line): error: "), "\(result.stderr)", sourceLocation: sourceLocation)
        if !because.isEmpty {
            #expect(result.stderr.contains(because), "\(result.stderr)", sourceLocation: sourceLocation)
        }
    }

    @Test func aFlippedByteAnywhereInARecordIsDetectedAtItsLine() throws {
        let (ws, _, _) = try recordedRun()
        defer { ws.remove() }
        let original = try ws.lines()
        for index in [0, 4, original.count - 1] {
            let bytes = Array(original[index].utf8)
            for offset in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 9)) {
                var flipped = bytes
                flipped[offset] ^= 0x01
                var lines = original
                lines[index] = String(decoding: flipped, as: UTF8.self)
                try ws.write(lines: lines)
                try expectBroken(ws, line: index + 1, "")
            }
        }
    }

    @Test func aDeletedLineIsDetected() throws {
        let (ws, _, _) = try recordedRun()
        defer { ws.remove() }
        var lines = try ws.lines()
        lines.remove(at: 3)
        try ws.write(lines: lines)
        try expectBroken(ws, line: 4, "deleted")
    }

    @Test func aForgedLineWithACorrectHashIsDetectedWhereTheChainResumes() throws {
        let (ws, run, _) = try recordedRun()
        defer { ws.remove() }
        var lines = try ws.lines()
        let prev = try #require(JSONValue.parse(lines[2])?["hash"]?.string)
        let forged: [String: JSONValue] = [
            "event": .string("confirm"), "run": .string(run), "step": .string("fix"), "prompt": .string("Fix it?"),
            "answer": .string("yes"), "approved_by": .string("bob"), "time": .string("2026-01-01T00:00:00.000Z"),
        ]
        lines.insert(AuditWorkspace.seal(forged, seq: 4, prev: prev), at: 3)
        try ws.write(lines: lines)
        try expectBroken(ws, line: 5, "inserted")
    }

    @Test func swappedLinesAreDetected() throws {
        let (ws, _, _) = try recordedRun()
        defer { ws.remove() }
        var lines = try ws.lines()
        lines.swapAt(4, 5)
        try ws.write(lines: lines)
        try expectBroken(ws, line: 5, "reordered")
    }

    @Test func aDuplicateKeyThatOnlySomeReadersSeeIsDetected() throws {
        let (ws, _, _) = try recordedRun()
        defer { ws.remove() }
        var lines = try ws.lines()
        let last = lines.count - 1
        lines[last] = String(lines[last].dropLast()) + #","status":"recovered"}"#
        try ws.write(lines: lines)
        try expectBroken(ws, line: last + 1, "canonical")
    }

    @Test func aTruncatedTailPassesPlainVerifyButNotTheRecordedHead() throws {
        let (ws, _, head) = try recordedRun()
        defer { ws.remove() }
        let lines = try ws.lines()
        try ws.write(lines: Array(lines.dropLast(3)))
        #expect(try ws.verify().status == 0)
        let result = try ws.verify(["--expect-head", head])
        #expect(result.status == 1)
        #expect(result.stderr.contains("audit.jsonl:\(lines.count): error: "), "\(result.stderr)")
        #expect(result.stderr.contains("truncated"), "\(result.stderr)")
    }

    @Test func aConsistentRewriteIsCaughtByTheKeyAndByTheRecordedHead() throws {
        let (ws, _, head) = try recordedRun(key: "k3y")
        defer { ws.remove() }
        var lines = try ws.lines()
        #expect(lines.allSatisfy { $0.contains(#""hmac":"#) })
        var fields = try #require(JSONValue.parse(lines[7])?.objectFields)
        fields["status"] = .string("ok")
        lines[7] = JSONValue.object(fields).canonical
        let rewritten = AuditWorkspace.rechain(lines, from: 7)
        try ws.write(lines: rewritten)
        #expect(try ws.verify().status == 0)
        try expectBroken(ws, line: 8, "hmac does not match", key: "k3y")
        try expectBroken(ws, line: 1, "hmac does not match", key: "another key")
        let headCheck = try ws.verify(["--expect-head", head])
        #expect(headCheck.status == 1)
        #expect(headCheck.stderr.contains("rewritten"), "\(headCheck.stderr)")
        // A forger who drops the stale hmacs instead is caught too.
        try ws.write(
            lines: rewritten.map { line in
                var f = JSONValue.parse(line)?.objectFields ?? [:]
                if (f["seq"]?.int ?? 0) >= 8 { f["hmac"] = nil }
                return JSONValue.object(f).canonical
            })
        try expectBroken(ws, line: 8, "no hmac", key: "k3y")
    }

    @Test func theHeadPrintedByARunIsTheLastRecordOfTheLog() throws {
        let (ws, run, head) = try recordedRun()
        defer { ws.remove() }
        let last = try #require(try ws.records().last)
        #expect(head == "\(last["seq"]?.int ?? 0):\(last["hash"]?.string ?? "")")
        #expect(last["run"]?.string == run)
        #expect(last["event"]?.string == "run.end")
        #expect(try ws.verify(["--expect-head", head]).status == 0)
    }

    @Test func noSecretValueReachesTheAuditFileTheTerminalOrAReport() throws {
        let ws = try AuditWorkspace()
        defer { ws.remove() }
        try ws.playbook(
            "secret",
            """
            runbook: 1
            id: secret-demo
            title: Secret demo
            params:
              token: {type: string, secret: true}
            diagnosis:
              - id: use
                run: echo token is {{ params.token }}; echo {{ params.token }} >&2
            recovery:
              - id: fix
                run: echo "fixing with x{{ params.token }}x"
                confirm: Use {{ params.token }}?
                rollback:
                  run: echo undo {{ params.token }}
            verify:
              - id: check
                run: echo {{ params.token }}; false

            """)
        let secret = "S3CR3T-VALUE"
        var outputs: [(String, String)] = []
        for extra in [[], ["--json"], ["--dry-run"]] {
            let result = try ws.run(["run", "secret.yaml", "--yes", "-p", "token=\(secret)"] + extra)
            #expect(result.status == (extra == ["--dry-run"] ? 0 : 1), "\(result.stderr)")
            outputs += [("run \(extra) stdout", result.stdout), ("run \(extra) stderr", result.stderr)]
        }
        let runs = AuditReader(directory: ws.auditDir).runs().map(\.run)
        #expect(runs.count == 3)
        for run in runs {
            for command in [
                ["report", run], ["report", run, "--format", "json"], ["audit", "show", run],
                ["audit", "show", run, "--json"],
            ] {
                let result = try ws.run(command)
                #expect(result.status == 0, "\(result.stderr)")
                outputs += [("\(command) stdout", result.stdout), ("\(command) stderr", result.stderr)]
            }
        }
        outputs.append(("audit file", try String(contentsOfFile: ws.auditPath, encoding: .utf8)))
        #expect(outputs[0].1.contains("token is ***"))
        for (name, text) in outputs {
            #expect(!text.contains(secret), "\(name) shows the secret:\n\(text)")
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func theReadmesPythonVerifierAgreesWithAuditVerify() throws {
        let (ws, _, head) = try recordedRun(key: "k3y")
        defer { ws.remove() }
        let readme = try String(contentsOf: Fixtures.root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.range(of: "## Audit trail")).upperBound
        let start = try #require(readme.range(of: "```python\n", range: section..<readme.endIndex)).upperBound
        let end = try #require(readme.range(of: "```", range: start..<readme.endIndex)).lowerBound
        try String(readme[start..<end]).write(toFile: ws.dir + "/verify.py", atomically: true, encoding: .utf8)
        func python(_ key: String?) throws -> (status: Int32, output: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = [ws.dir + "/verify.py", ws.auditPath]
            process.environment = key.map { ["RUNBOOK_AUDIT_KEY": $0] } ?? [:]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, output)
        }
        #expect(try python(nil) == (0, "ok: head \(head)\n"))
        #expect(try python("k3y") == (0, "ok: head \(head)\n"))
        #expect(try python("wrong").output == "line 1: broken\n")
        var lines = try ws.lines()
        lines.swapAt(2, 3)
        try ws.write(lines: lines)
        #expect(try python(nil).output == "line 3: broken\n")
        try ws.write(lines: AuditWorkspace.rechain(lines, from: 2))
        #expect(try python(nil).status == 0)
        #expect(try python("k3y").output == "line 3: broken\n")
    }
}
