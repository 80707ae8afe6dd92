import FoundationEssentials
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
        let hint = "pass the JSON Alertmanager posts to a webhook receiver (version 4)"
        do {
            return .success(try JSONDecoder().decode(AlertmanagerPayload.self, from: data))
        } catch let error as DecodingError {
            return .failure(
                .error("not an Alertmanager webhook payload: \(Self.describe(error))", at: .file(file), hint: hint))
        } catch {
            return .failure(.error("not an Alertmanager webhook payload: \(error)", at: .file(file), hint: hint))
        }
    }

    /// Where the JSON differs from the payload's shape, in its own terms (`alerts[0].labels`).
    private static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : (text.isEmpty ? "the top level" : text)
        }
        switch error {
        case .keyNotFound(let key, let context):
            let inside = context.codingPath.isEmpty ? "" : " in \(path(context.codingPath))"
            return "no '\(key.stringValue)'\(inside)"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let expected =
                type == String.self
                ? "a string"
                : type is [Any].Type
                    ? "a list"
                    : type is [String: Any].Type
                        ? "an object" : "\(type)"
            return "\(path(context.codingPath)) is not \(expected)"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "the text is not JSON" : "\(path(context.codingPath)) is not valid"
        @unknown default:
            return "\(error)"
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
        guard let groups = root.mapping?.first(where: { $0.key.scalarValue == "groups" })?.value.sequence else {
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
        var diagnostics = parsed.diagnostics
        for group in groups {
            let list = group.mapping?.first(where: { $0.key.scalarValue == "rules" })?.value.sequence ?? []
            for rule in list {
                let fields = rule.mapping ?? []
                guard let name = fields.first(where: { $0.key.scalarValue == "alert" })?.value else { continue }
                guard let text = name.scalar else {
                    diagnostics.append(
                        .error(
                            "an alerting rule's 'alert' must be a name", at: name.start,
                            hint: "write the alert's name, e.g. alert: HighCPU"))
                    continue
                }
                let annotations = fields.first(where: { $0.key.scalarValue == "annotations" })?.value.mapping ?? []
                let url = annotations.first(where: { $0.key.scalarValue == "runbook_url" })?.value
                rules.append(
                    PrometheusAlertRule(
                        alert: Located(text.value, at: name.start),
                        runbookURL: url.flatMap { node in node.scalar.map { Located($0.value, at: node.start) } }))
            }
        }
        return (rules, diagnostics)
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
