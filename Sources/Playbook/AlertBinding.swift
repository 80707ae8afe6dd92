import RunbookDiagnostics

/// `alerts:` in a playbook: a Prometheus alert it answers, and which of the alert's labels
/// give which params (`instance: host` fills `params.host` from the `instance` label).
package struct AlertBinding: Sendable, Hashable {
    package var alert: Located<String>
    /// Label name → param name, in the order written.
    package var labels: [(label: Located<String>, param: Located<String>)]

    package init(alert: Located<String>, labels: [(label: Located<String>, param: Located<String>)]) {
        self.alert = alert
        self.labels = labels
    }

    package static func == (a: AlertBinding, b: AlertBinding) -> Bool {
        a.alert == b.alert && a.labels.map(\.label) == b.labels.map(\.label)
            && a.labels.map(\.param) == b.labels.map(\.param)
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(alert)
        for pair in labels {
            hasher.combine(pair.label)
            hasher.combine(pair.param)
        }
    }
}
