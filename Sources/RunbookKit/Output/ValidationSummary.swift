/// The closing line of `runbook validate`: how many files, errors and warnings.
public struct ValidationSummary: Sendable {
    public var files: Int
    public var errors: Int
    public var warnings: Int

    public init(_ results: [PlaybookCatalog.FileResult]) {
        files = results.count
        let all = results.flatMap(\.diagnostics)
        errors = all.filter(\.isError).count
        warnings = all.count - errors
    }

    public var line: String {
        "\(files) \(files == 1 ? "playbook" : "playbooks") checked: "
            + "\(errors) \(errors == 1 ? "error" : "errors"), \(warnings) \(warnings == 1 ? "warning" : "warnings")\n"
    }
}
