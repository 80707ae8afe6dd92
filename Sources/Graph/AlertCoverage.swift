import RunbookDiagnostics
import RunbookPlaybook

/// `runbook validate --alert-rules`: which alerts of Prometheus rule files no playbook answers.
package enum AlertCoverage {
    /// A warning at each alerting rule whose alert no playbook of `playbooks` declares, and at
    /// each `runbook_url` annotation whose last path segment names no playbook id.
    package static func check(rulesFiles: [String], playbooks: [Playbook]) -> [Diagnostic] {
        let declared = Set(playbooks.flatMap { $0.alerts.map(\.alert.value) })
        let ids = playbooks.map(\.id.value)
        var findings: [Diagnostic] = []
        for file in rulesFiles {
            let (rules, diagnostics) = PrometheusAlertRule.load(path: file)
            findings += diagnostics
            for rule in rules {
                if !declared.contains(rule.alert.value) {
                    findings.append(
                        .warning(
                            "alert '\(rule.alert.value)' is declared by no playbook", at: rule.alert.location,
                            hint: "add 'alerts: [\(rule.alert.value)]' to the playbook that answers it, or start one "
                                + "with 'runbook new ID'"))
                }
                if let url = rule.runbookURL {
                    let id = PrometheusAlertRule.playbookID(inURL: url.value)
                    if !ids.contains(id) {
                        findings.append(
                            .warning(
                                "runbook_url '\(url.value)' names no playbook ('\(id)')", at: url.location,
                                hint: Suggestion.hint(for: id, in: ids)
                                    ?? "end the URL with a playbook id, e.g. …/\(ids.first ?? "high-cpu")"))
                    }
                }
            }
        }
        return findings
    }
}
