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

    /// The phase's place in `allCases` (the order phases run in).
    package var index: Int {
        switch self {
        case .symptoms: 0
        case .diagnosis: 1
        case .recovery: 2
        case .verify: 3
        }
    }

    package static func < (lhs: Phase, rhs: Phase) -> Bool { lhs.index < rhs.index }
}

/// What happens when a step fails.
package enum FailurePolicy: String, Sendable, Hashable, CaseIterable {
    case `continue`
    case rollback
    case abort
}
