/// Incident severity, P1 (critical) to P4 (low), with the response the incident process
/// promises at each level (docs/playbook-reference.md, "Severity and response").
package enum Severity: String, Sendable, Hashable, CaseIterable {
    case P1, P2, P3, P4

    /// The name the incident process gives the level.
    package var name: String {
        switch self {
        case .P1: return "Critical"
        case .P2: return "High"
        case .P3: return "Medium"
        case .P4: return "Low"
        }
    }

    /// How soon the on-call engineer must respond.
    package var responseTime: String {
        switch self {
        case .P1: return "15 minutes"
        case .P2: return "1 hour"
        case .P3: return "4 hours"
        case .P4: return "1 business day"
        }
    }

    /// When and how customers hear about the incident.
    package var customerUpdate: String {
        switch self {
        case .P1: return "status page and email within 30 minutes"
        case .P2: return "status page within 2 hours"
        case .P3, .P4: return "next release notes or a status page update"
        }
    }

    /// When the incident review meeting is due, if the level needs one.
    package var review: String? {
        switch self {
        case .P1, .P2: return "within 1 week"
        case .P3, .P4: return nil
        }
    }
}

/// The response of one severity as data, for `show --json` and reports.
package struct SeverityResponse: Encodable, Sendable, Hashable {
    package var name: String
    package var responseTime: String
    package var customerUpdate: String
    package var review: String?

    package init(_ severity: Severity) {
        name = severity.name
        responseTime = severity.responseTime
        customerUpdate = severity.customerUpdate
        review = severity.review
    }

    /// One line for pages and terminals: `respond within 15 minutes · customers: … · incident review …`.
    package var line: String {
        "respond within \(responseTime) · customers: \(customerUpdate)"
            + (review.map { " · incident review \($0)" } ?? "")
    }
}
