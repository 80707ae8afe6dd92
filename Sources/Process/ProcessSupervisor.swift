import Glibc
import RunbookBasics

/// Watches one started child until its whole process group is done: streams and captures
/// its output, enforces the timeout and the interruption, ends what the child left
/// behind, and reaps it. One instance per run, used on one thread.
///
/// Everything waits in a single `poll()` on the output pipes, the exit notification and the
/// interruption pipe, so nothing sleeps on a fixed interval while the child runs.
final class ProcessSupervisor {
    /// Why the group is being ended.
    enum Ending {
        case timedOut
        case interrupted
        /// The main process exited and the rest of its group is being cleaned up.
        case mainExited
    }

    /// How long to keep waiting for the group once SIGKILL has gone out.
    static let afterKillLimit: Int64 = 2000
    /// The longest pause between checks for group members that hold no pipe.
    static let maxRecheckDelay: Int64 = 50
    static let readSize = 64 * 1024

    let child: SpawnedChild
    let request: ProcessRequest
    let graceMilliseconds: Int64
    let observer: (any OutputObserver)?
    let interruption: Interruption?
    var terminal: TerminalHandoff?
    let timeoutAt: MonotonicInstant?

    var stdout: OutputCapture
    var stderr: OutputCapture
    var stdoutOpen = true
    var stderrOpen = true
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: readSize, alignment: 16)

    var waiter: ExitWaiter?
    var mainStatus: ChildStatus?
    var ending: Ending?
    var killAt: MonotonicInstant?
    var killed = false
    var giveUpAt: MonotonicInstant?
    var recheckAt: MonotonicInstant?
    var recheckDelay: Int64 = 1
    var leftoverPIDs: [pid_t] = []
    var finished = false

    init(
        child: SpawnedChild, request: ProcessRequest, grace: TimeSpan, observer: (any OutputObserver)?,
        interruption: Interruption?, terminal: TerminalHandoff?, startedAt: MonotonicInstant
    ) {
        self.child = child
        self.request = request
        self.graceMilliseconds = max(0, grace.milliseconds)
        self.observer = observer
        self.interruption = interruption
        self.terminal = terminal
        self.timeoutAt = request.timeout.map { startedAt.adding(milliseconds: $0.milliseconds) }
        self.stdout = OutputCapture(limit: request.captureLimit)
        self.stderr = OutputCapture(limit: request.captureLimit)
    }

    deinit {
        if stdoutOpen { close(child.stdoutFD) }
        if stderrOpen { close(child.stderrFD) }
        buffer.deallocate()
    }

    /// Runs until the group is done and the child is reaped.
    func run() -> (ChildStatus, Ending?) {
        if child.needsTerminalFromParent { terminal?.give(to: child.group) }
        waiter = ExitWaiter(pid: child.pid)
        while !finished {
            waitForEvents()
            handleTime(MonotonicInstant.now())
        }
        return (mainStatus ?? ChildStatus(), ending)
    }

    private func waitForEvents() {
        var fds: [pollfd] = []
        if stdoutOpen { fds.append(pollfd(fd: child.stdoutFD, events: Int16(POLLIN), revents: 0)) }
        if stderrOpen { fds.append(pollfd(fd: child.stderrFD, events: Int16(POLLIN), revents: 0)) }
        if mainStatus == nil, let waiter { fds.append(pollfd(fd: waiter.readFD, events: Int16(POLLIN), revents: 0)) }
        // The wake byte stays in the pipe until the run resets the interruption (every runner
        // waiting at once must see it): once this runner is ending, it no longer listens, and
        // checks for a second interrupt (a forced kill) on a short interval instead.
        if ending == nil, let fd = interruption?.wakeFD, fd >= 0 {
            fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0))
        }
        let ready = poll(&fds, nfds_t(fds.count), pollTimeout(MonotonicInstant.now()))
        // EINTR and the like: handleTime and the next round sort it out.
        guard ready > 0 else { return }
        for entry in fds where entry.revents != 0 {
            if stdoutOpen && entry.fd == child.stdoutFD {
                readChunk(.stdout)
            } else if stderrOpen && entry.fd == child.stderrFD {
                readChunk(.stderr)
            } else if mainStatus == nil, entry.fd == waiter?.readFD {
                mainExited(at: MonotonicInstant.now())
            }
            // Otherwise the interruption pipe only wakes the poll; handleTime reads the flag.
        }
    }

    /// Milliseconds until the next deadline that needs action, or -1 to wait for an event.
    private func pollTimeout(_ now: MonotonicInstant) -> Int32 {
        var deadlines: [MonotonicInstant] = []
        if ending == nil, mainStatus == nil, let timeoutAt { deadlines.append(timeoutAt) }
        if !killed, let killAt { deadlines.append(killAt) }
        if let giveUpAt { deadlines.append(giveUpAt) }
        if let recheckAt { deadlines.append(recheckAt) }
        // Fallbacks when a pipe or thread could not be made: check on a short interval instead.
        if mainStatus == nil, waiter == nil { deadlines.append(now.adding(milliseconds: 10)) }
        if ending == nil, let interruption, interruption.wakeFD < 0 { deadlines.append(now.adding(milliseconds: 50)) }
        if ending == .interrupted, !killed { deadlines.append(now.adding(milliseconds: 50)) }
        guard let next = deadlines.min() else { return -1 }
        return Int32(clamping: next.millisecondsFromNow(now))
    }

    private func handleTime(_ now: MonotonicInstant) {
        guard !finished else { return }
        if ending == nil, mainStatus == nil {
            if interruption?.isInterrupted == true {
                beginEnding(.interrupted, at: now)
            } else if let timeoutAt, now >= timeoutAt {
                beginEnding(.timedOut, at: now)
            }
        }
        if mainStatus == nil, waiter == nil, ExitWaiter.hasExited(child.pid) { mainExited(at: now) }
        if !killed, let killAt, now >= killAt || (ending == .interrupted && interruption?.isForced == true) {
            escalate(at: now)
        }
        guard mainStatus != nil, !finished else { return }
        if let giveUpAt, now >= giveUpAt {
            leftoverPIDs = child.group.liveMembers()
            finish()
        } else if let recheckAt, now >= recheckAt {
            checkGroup(at: now)
        }
    }

}
