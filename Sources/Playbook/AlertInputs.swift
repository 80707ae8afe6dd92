import Foundation
import RunbookDiagnostics
import RunbookYAML

/// An Alertmanager webhook payload (its documented JSON: `version`, `status`, `alerts` with
/// `status`, `labels`, `annotations`, `startsAt`, …), as `runbook triage --alert` reads it.
package struct AlertmanagerPayload: Decodable, Sendable {
    package struct Alert: Decodable, Sendable {
        package var status: String
        package var labels: [String: String]
        package var annotations: [String: String]?

        package var name: String? { labels["alertname"] }
    }

    package var version: String?
    package var status: String?
    package var alerts: [Alert]

    /// The alerts still firing (a resolved alert needs no playbook).
    package var firing: [Alert] { alerts.filter { $0.status == "firing" } }

    package static func decode(_ data: Data, file: String) -> Result<AlertmanagerPayload, Diagnostic> {
        do {
            return .success(try JSONDecoder().decode(AlertmanagerPayload.self, from: data))
        } catch let DecodingError.keyNotFound(key, _) {
            return .failure(
                .error(
                    "not an Alertmanager webhook payload: no '\(key.stringValue)'", at: .file(file),
                    hint: "pass the JSON Alertmanager posts to a webhook receiver (version 4)"))
        } catch {
            return .failure(
                .error(
                    "not an Alertmanager webhook payload: \(error.localizedDescription)", at: .file(file),
                    hint: "pass the JSON Alertmanager posts to a webhook receiver (version 4)"))
        }
    }
}

/// The alerting rules of a Prometheus rule file (`groups: - rules: - alert: …`), each with
/// where it is written and its `runbook_url` annotation.
package struct PrometheusAlertRule: Sendable {
    package var alert: Located<String>
    package var runbookURL: Located<String>?

    /// The alerting rules of one file; recording rules (`record:`) are not alerts.
    package static func load(path: String) -> (rules: [PrometheusAlertRule], diagnostics: [Diagnostic]) {
        let parsed = YAML.load(path: path)
        guard let root = parsed.root else { return ([], parsed.diagnostics) }
        guard let groups = root.mapping?.first(where: { $0.key.scalar?.value == "groups" })?.value.sequence else {
            return (
                [],
                [
                    .error(
                        "not a Prometheus rule file: no 'groups' list", at: root.start,
                        hint: "a rule file is 'groups: [{name: …, rules: [{alert: …, expr: …}]}]'")
                ]
            )
        }
        var rules: [PrometheusAlertRule] = []
        for group in groups {
            let list = group.mapping?.first(where: { $0.key.scalar?.value == "rules" })?.value.sequence ?? []
            for rule in list {
                let fields = rule.mapping ?? []
                guard let name = fields.first(where: { $0.key.scalar?.value == "alert" })?.value, let text = name.scalar
                else { continue }
                let annotations = fields.first(where: { $0.key.scalar?.value == "annotations" })?.value.mapping ?? []
                let url = annotations.first(where: { $0.key.scalar?.value == "runbook_url" })?.value
                rules.append(
                    PrometheusAlertRule(
                        alert: Located(text.value, at: name.start),
                        runbookURL: url.flatMap { node in node.scalar.map { Located($0.value, at: node.start) } }))
            }
        }
        return (rules, parsed.diagnostics)
    }

    /// The playbook id a runbook URL names: its last path segment without an extension or
    /// fragment (`https://wiki/runbooks/high-cpu.md#steps` → `high-cpu`).
    package static func playbookID(inURL url: String) -> String {
        var text = Substring(url)
        if let cut = text.firstIndex(where: { $0 == "#" || $0 == "?" }) { text = text[..<cut] }
        while text.hasSuffix("/") { text = text.dropLast() }
        var last = text.split(separator: "/").last.map(String.init) ?? ""
        for ext in [".yaml", ".yml", ".md", ".html"] where last.hasSuffix(ext) {
            last = String(last.dropLast(ext.count))
        }
        return last
    }
}
