import RunbookBasics

/// The name of an audit record's event; raw values are the names the audit format fixes
/// (README: the audit trail), shared by the writers and every reader.
package enum AuditEvent: String, Sendable, Hashable, CaseIterable {
    case runStart = "run.start"
    case stepStart = "step.start"
    case stepEnd = "step.end"
    case stepSkip = "step.skip"
    case confirm
    case choose
    case rollbackStart = "rollback.start"
    case rollbackEnd = "rollback.end"
    case note
    case runEnd = "run.end"
    case auditRepair = "audit.repair"
    case auditPermissions = "audit.permissions"
}

extension Dictionary where Key == String, Value == JSONValue {
    /// The record's event, or nil when it has none this version knows.
    package var event: AuditEvent? { self["event"]?.string.flatMap(AuditEvent.init(rawValue:)) }
}
