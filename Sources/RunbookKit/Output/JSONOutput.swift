import Foundation

/// Stable JSON for `--json` output: sorted keys, no escaped slashes, one trailing newline.
public enum JSONOutput {
    public static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "null\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// A diagnostic as JSON: `{severity, message, file, line, column, hint}`.
public struct DiagnosticJSON: Encodable, Sendable {
    public var severity: String
    public var message: String
    public var file: String
    public var line: Int
    public var column: Int
    public var hint: String?

    public init(_ d: Diagnostic) {
        severity = d.severity.rawValue
        message = d.message
        file = d.location.file
        line = d.location.line
        column = d.location.column
        hint = d.hint
    }
}

/// The JSON of `runbook validate --json`.
public struct ValidationReport: Encodable, Sendable {
    public struct File: Encodable, Sendable {
        public var file: String
        public var id: String?
        public var ok: Bool
        public var diagnostics: [DiagnosticJSON]
    }

    public var files: [File]
    public var errors: Int
    public var warnings: Int

    public init(files: [(file: String, id: String?, diagnostics: [Diagnostic])]) {
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
