import Foundation
import RunbookTestSupport
import Testing

/// The JSON Schema and the decoder describe one format; these tests keep them from drifting apart.
@Suite struct SchemaConsistencyTests {
    /// Structural mistakes among the decoder's fixtures: the schema must reject each of them too.
    static let structural = [
        "unknown-key", "unknown-top-level-key", "missing-id", "missing-step-id", "bad-playbook-id", "bad-step-id",
        "two-actions", "no-action", "bad-duration", "wrong-type", "bad-severity", "no-steps", "bad-version",
        "rollback-with-id", "bad-param",
    ]

    static var validator: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").map { "\($0)/check-jsonschema" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test func decoderRejectsEveryFileTheSchemaRejects() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Fixtures.path("schema-invalid"))
        #expect(files.count >= 8)
        for file in files {
            let result = try CLI.run(["validate", "schema-invalid/\(file)"])
            #expect(result.status == 1, "runbook validate accepted schema-invalid/\(file)")
        }
    }

    @Test(.enabled(if: validator != nil, "check-jsonschema is not installed (.ci/run installs it)"))
    func schemaRejectsTheDecodersStructuralFixtures() throws {
        for name in Self.structural {
            let result = try run(
                Self.validator!,
                ["--schemafile", "schemas/playbook.schema.json", "Tests/Fixtures/invalid/\(name).yaml"])
            #expect(result != 0, "the schema accepts invalid/\(name).yaml, which the decoder rejects")
        }
    }

    @Test(.enabled(if: validator != nil, "check-jsonschema is not installed (.ci/run installs it)"))
    func shippedFilesValidateAgainstTheSchemas() throws {
        #expect(try run("/bin/bash", ["scripts/check-schemas"]) == 0)
    }

    private func run(_ program: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.currentDirectoryURL = Fixtures.root
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
