import FoundationEssentials
import Glibc
import RunbookBasics

/// Where the audit trail lives (SPEC §3): `--audit-dir`, `$RUNBOOK_AUDIT_DIR`, `$XDG_STATE_HOME/runbook`, `~/.local/state/runbook`.
package enum AuditDirectory {
    package static func resolve(explicit: String?, environment: [String: String]) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let dir = environment["RUNBOOK_AUDIT_DIR"], !dir.isEmpty { return dir }
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/runbook" }
        let home =
            environment["HOME"] ?? getpwuid(getuid()).flatMap { $0.pointee.pw_dir.map { String(cString: $0) } } ?? "/"
        return home + "/.local/state/runbook"
    }
}

extension AuditDirectory {
    /// What would stop `prepare` from accepting `directory`, without creating anything: nil
    /// when it is fine or does not exist yet (the first run creates it, 0700).
    package static func problem(_ directory: String) -> String? {
        var info = stat()
        guard stat(directory, &info) == 0 else {
            return errno == ENOENT ? nil : "cannot read \(directory): \(String(cString: strerror(errno)))"
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { return "\(directory) is not a directory" }
        if info.st_uid != geteuid(), info.st_uid != 0 {
            return "\(directory) belongs to another user (uid \(info.st_uid)), who could rewrite the trail"
        }
        if info.st_mode & S_IWOTH != 0 { return "\(directory) is writable by everyone" }
        if access(directory, W_OK) != 0 { return "\(directory) is not writable: \(String(cString: strerror(errno)))" }
        return nil
    }

    /// Creates the directory (0700) where it is missing, and refuses one that others could
    /// tamper with: a symbolic link on the way owned by another user, a directory owned by
    /// another user (root excepted) or writable by everyone.
    static func prepare(_ directory: String) throws {
        let absolute = directory.hasPrefix("/") ? directory : Path.currentDirectory() + "/" + directory
        let me = geteuid()
        var path = ""
        for component in absolute.split(separator: "/") {
            path.append("/")
            path.append(contentsOf: component)
            var info = stat()
            if lstat(path, &info) == 0 {
                if info.st_mode & S_IFMT == S_IFLNK, info.st_uid != me, info.st_uid != 0 {
                    throw AuditError(
                        "\(path) is a symbolic link owned by another user (uid \(info.st_uid)): refusing to follow it to the audit trail"
                    )
                }
                continue
            }
            guard errno == ENOENT, mkdir(path, 0o700) == 0 || errno == EEXIST else {
                throw AuditError("cannot create the audit directory \(path): \(String(cString: strerror(errno)))")
            }
        }
        var info = stat()
        guard stat(absolute, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw AuditError("\(directory) is not a directory")
        }
        if info.st_uid != me, info.st_uid != 0 {
            throw AuditError(
                "the audit directory \(directory) belongs to another user (uid \(info.st_uid)), who could rewrite the trail"
            )
        }
        if info.st_mode & S_IWOTH != 0 {
            throw AuditError(
                "the audit directory \(directory) is writable by everyone (mode \(String(info.st_mode & 0o7777, radix: 8))), so anyone could replace the trail; chmod 700 it"
            )
        }
    }
}
