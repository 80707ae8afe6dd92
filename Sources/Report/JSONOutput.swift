import FoundationEssentials
import RunbookDiagnostics

/// Stable JSON for `--json` output: sorted keys, no escaped slashes, one trailing newline.
package enum JSONOutput {
    /// `snakeCase`: keys as the audit records spell them (`exit_code`, `duration_ms`), for data
    /// built from those records.
    package static func encode(_ value: some Encodable, snakeCase: Bool = false) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        if snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
        guard let data = try? encoder.encode(value) else { return "null\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// One compact line (JSON Lines): for diagnostics on stderr under `--json`.
    package static func line(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "null\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// A diagnostic as JSON: `{severity, message, file, line, column, hint}`.
package struct DiagnosticJSON: Encodable, Sendable {
    package var severity: String
    package var message: String
    package var file: String
    package var line: Int
    package var column: Int
    package var hint: String?

    package init(_ d: Diagnostic) {
        severity = d.severity.rawValue
        message = d.message
        file = d.location.file
        line = d.location.line
        column = d.location.column
        hint = d.hint
    }
}

/// The JSON of `runbook validate --json`.
package struct ValidationReport: Encodable, Sendable {
    package struct File: Encodable, Sendable {
        package var file: String
        package var id: String?
        package var ok: Bool
        package var diagnostics: [DiagnosticJSON]
    }

    package var files: [File]
    package var errors: Int
    package var warnings: Int

    package init(files: [(file: String, id: String?, diagnostics: [Diagnostic])]) {
        self.files = files.map {
            File(
                file: $0.file, id: $0.id, ok: !$0.diagnostics.hasErrors,
                diagnostics: $0.diagnostics.map(DiagnosticJSON.init))
        }
        let all = files.flatMap(\.diagnostics)
        errors = all.filter(\.isError).count
        warnings = all.count - errors
    }
}
