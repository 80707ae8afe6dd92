import RunbookGraph

/// The closing line of `runbook validate`: how many files, errors and warnings.
package struct ValidationSummary: Sendable {
    package var files: Int
    package var errors: Int
    package var warnings: Int

    package init(_ results: [PlaybookCatalog.FileResult]) {
        files = results.count
        let all = results.flatMap(\.diagnostics)
        errors = all.filter(\.isError).count
        warnings = all.count - errors
    }

    package var line: String {
        "\(files) \(files == 1 ? "playbook" : "playbooks") checked: "
            + "\(errors) \(errors == 1 ? "error" : "errors"), \(warnings) \(warnings == 1 ? "warning" : "warnings")\n"
    }
}
