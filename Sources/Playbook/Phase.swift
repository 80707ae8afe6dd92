/// The four ordered phases of a playbook and their defaults (SPEC §1.1).
package enum Phase: String, Sendable, Hashable, CaseIterable, Comparable {
    case symptoms, diagnosis, recovery, verify

    /// Steps in this phase are read-only unless they say otherwise.
    package var readonlyByDefault: Bool { self != .recovery }

    /// What a failing step in this phase does unless it says otherwise.
    package var defaultFailurePolicy: FailurePolicy {
        switch self {
        case .symptoms, .diagnosis: return .continue
        case .recovery, .verify: return .rollback
        }
    }

    package static func < (lhs: Phase, rhs: Phase) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// What happens when a step fails.
package enum FailurePolicy: String, Sendable, Hashable, CaseIterable {
    case `continue`
    case rollback
    case abort
}
