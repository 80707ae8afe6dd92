import Glibc

/// Turns "the main child exited" into a readable descriptor, so the runner can wait for it in
/// the same `poll()` as the output pipes, with no polling interval.
///
/// On Linux 5.3 and later that descriptor is a pidfd, which the kernel makes readable when the
/// process exits. Elsewhere a thread blocks in `waitid(…, WNOWAIT)` and writes one byte to a
/// pipe when it returns. Neither reaps the child: it stays a zombie, so its PID, and with it the
/// process-group ID, stays reserved until the runner has signalled the group and reaps the
/// child itself, and a signal can never reach an unrelated group that reused the number.
final class ExitWaiter {
    /// Readable once the child has exited.
    let readFD: Int32
    private let writeFD: Int32
    private var thread = pthread_t()
    private var joined = false

    /// Starts watching `pid`; nil when no descriptor or thread can be made (the caller then polls).
    init?(pid: pid_t) {
        if let open = GNUExtensions.pidfdOpen {
            let fd = open(pid, 0)
            if fd >= 0 {
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)  // pidfds are close-on-exec already; say so anyway
                readFD = fd
                writeFD = -1
                joined = true
                return
            }
        }
        guard let fds = GNUExtensions.makePipe() else { return nil }
        readFD = fds.read
        writeFD = fds.write
        let context = Unmanaged.passRetained(WaitContext(pid: pid, notifyFD: writeFD)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        // The thread only calls waitid and write: a small stack keeps its creation cheap.
        pthread_attr_setstacksize(&attributes, 64 * 1024)
        let created = pthread_create(
            &thread, &attributes,
            { raw in
                let context = Unmanaged<WaitContext>.fromOpaque(raw!).takeRetainedValue()
                context.waitAndNotify()
                return nil
            }, context)
        pthread_attr_destroy(&attributes)
        guard created == 0 else {
            Unmanaged<WaitContext>.fromOpaque(context).release()
            close(readFD)
            close(writeFD)
            return nil
        }
    }

    /// Waits for the thread to end; call once `readFD` is readable, or it blocks until the child exits.
    func join() {
        guard !joined else { return }
        pthread_join(thread, nil)
        joined = true
    }

    deinit {
        join()
        close(readFD)
        if writeFD >= 0 { close(writeFD) }
    }

    /// Whether `pid` has exited, without blocking or reaping it: the fallback when no thread could be started.
    static func hasExited(_ pid: pid_t) -> Bool {
        var info = siginfo_t()
        while true {
            if waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 {
                return info._sifields._sigchld.si_pid != 0
            }
            if errno != EINTR { return true }
        }
    }
}

/// What the waiting thread needs, handed over as one retained object.
private final class WaitContext {
    let pid: pid_t
    let notifyFD: Int32

    init(pid: pid_t, notifyFD: Int32) {
        self.pid = pid
        self.notifyFD = notifyFD
    }

    func waitAndNotify() {
        var info = siginfo_t()
        // Any failure other than EINTR (e.g. ECHILD if someone else reaped the child) also ends the wait.
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR {}
        var byte: UInt8 = 1
        while write(notifyFD, &byte, 1) < 0 && errno == EINTR {}
    }
}
