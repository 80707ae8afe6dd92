import FoundationEssentials
import Glibc
import RunbookBasics
import RunbookDiagnostics

/// Serialises live runs of one playbook on this host (SPEC §2); dry-runs never lock.
///
/// An exclusive `flock` on `$RUNBOOK_LOCK_DIR/ID.lock` (default `/tmp/runbook-locks`), so
/// the lock dies with the process and a crashed run never leaves it stuck.
package final class RunLock {
    private let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    package static func acquire(
        playbook: String, wait: Bool, environment: [String: String] = ProcessEnvironment.current,
        onWait: (String) -> Void
    ) -> Result<RunLock, Diagnostic> {
        let dir = directory(environment)
        mkdir(dir, 0o1777)
        let path = Path.join(dir, "\(playbook).lock")
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o666)
        guard fd >= 0 else {
            return .failure(
                .error("cannot open the run lock \(path): \(String(cString: strerror(errno)))", at: .file(path)))
        }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 { return .success(RunLock(fd: fd)) }
        guard wait else {
            close(fd)
            return .failure(
                .error(
                    "playbook '\(playbook)' is already running on this host", at: .file(path),
                    hint: "wait for it to finish, or run without --no-wait to queue behind it"))
        }
        onWait("playbook '\(playbook)' is already running on this host; waiting for it to finish")
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                close(fd)
                return .failure(.error("cannot take the run lock \(path)", at: .file(path)))
            }
        }
        return .success(RunLock(fd: fd))
    }

    package static func directory(_ environment: [String: String]) -> String {
        environment["RUNBOOK_LOCK_DIR"] ?? "/tmp/runbook-locks"
    }

    /// True when a live run of `playbook` holds the lock on this host now (the lock is only
    /// tested, never kept).
    package static func isHeld(
        playbook: String, environment: [String: String] = ProcessEnvironment.current
    ) -> Bool {
        let path = Path.join(directory(environment), "\(playbook).lock")
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }

    package func release() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
