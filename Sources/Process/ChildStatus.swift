import Glibc

/// How the main child ended, decoded from its wait status.
struct ChildStatus {
    var exitCode: Int32?
    var signal: Int32?

    /// Reaps `pid`, which must already have exited (or be about to).
    static func reap(_ pid: pid_t) -> ChildStatus {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            // ECHILD: someone else reaped it (SIGCHLD ignored, or a stray waitpid(-1)); the status is lost.
            if errno != EINTR { return ChildStatus() }
        }
        return ChildStatus(waitStatus: status)
    }

    init(exitCode: Int32? = nil, signal: Int32? = nil) {
        self.exitCode = exitCode
        self.signal = signal
    }

    /// The WIFEXITED/WEXITSTATUS/WTERMSIG macros, which Swift cannot import.
    init(waitStatus status: Int32) {
        let low = status & 0x7f
        if low == 0 {
            self.init(exitCode: (status >> 8) & 0xff)
        } else if low != 0x7f {
            self.init(signal: low)
        } else {
            self.init()
        }
    }
}
