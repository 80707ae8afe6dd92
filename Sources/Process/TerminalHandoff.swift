import Glibc

/// Lends the controlling terminal to a child's process group while it runs, as a shell does
/// for a foreground job, so a prompt in the child is not stopped by SIGTTIN.
struct TerminalHandoff {
    /// An open descriptor on /dev/tty; the spawner asks the child to take the terminal through it.
    let fd: Int32
    private let ownGroup: pid_t

    /// Nil without a controlling terminal, or when this process is not in its foreground
    /// group (started in the background): then the terminal is not ours to lend.
    static func acquire() -> TerminalHandoff? {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { return nil }
        let ownGroup = getpgrp()
        guard tcgetpgrp(fd) == ownGroup else {
            close(fd)
            return nil
        }
        return TerminalHandoff(fd: fd, ownGroup: ownGroup)
    }

    /// Gives the terminal to `group` from the parent side: the fallback when the C library
    /// cannot do it in the child. SIGCONT wakes the child if it already stopped on SIGTTIN.
    func give(to group: ProcessGroup) {
        withTerminalSignalsBlocked { _ = tcsetpgrp(fd, group.id) }
        group.send(SIGCONT)
    }

    /// Takes the terminal back and closes the descriptor.
    func restore() {
        withTerminalSignalsBlocked { _ = tcsetpgrp(fd, ownGroup) }
        close(fd)
    }

    /// A background group calling tcsetpgrp gets SIGTTOU, which would stop us; with it blocked
    /// the call just succeeds. Blocking in this thread only leaves the process's dispositions alone.
    private func withTerminalSignalsBlocked(_ body: () -> Void) {
        var blocked = sigset_t()
        var previous = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGTTOU)
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        body()
        pthread_sigmask(SIG_SETMASK, &previous, nil)
    }
}
