/// The four ordered phases of a playbook and their defaults (SPEC §1.1).
public enum Phase: String, Sendable, Hashable, CaseIterable, Comparable {
    case symptoms, diagnosis, recovery, verify

    /// Steps in this phase are read-only unless they say otherwise.
    public var readonlyByDefault: Bool { self != .recovery }

    /// What a failing step in this phase does unless it says otherwise.
    public var defaultFailurePolicy: FailurePolicy {
        switch self {
        case .symptoms, .diagnosis: return .continue
        case .recovery, .verify: return .rollback
        }
    }

    public static func < (lhs: Phase, rhs: Phase) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// What happens when a step fails.
public enum FailurePolicy: String, Sendable, Hashable, CaseIterable {
    case `continue`
    case rollback
    case abort
}
