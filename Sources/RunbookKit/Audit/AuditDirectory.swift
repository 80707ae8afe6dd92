import Foundation

/// Where the audit trail lives (SPEC §3): `--audit-dir`, `$RUNBOOK_AUDIT_DIR`, `$XDG_STATE_HOME/runbook`, `~/.local/state/runbook`.
public enum AuditDirectory {
    public static func resolve(explicit: String?, environment: [String: String]) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let dir = environment["RUNBOOK_AUDIT_DIR"], !dir.isEmpty { return dir }
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/runbook" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/state/runbook"
    }
}
