import Glibc

/// Ending the group: SIGTERM, SIGKILL after the grace period, and knowing when it is over.
extension ProcessSupervisor {
    /// Asks the whole group to stop and starts the grace period.
    func beginEnding(_ reason: Ending, at now: MonotonicInstant) {
        ending = reason
        child.group.send(SIGTERM)
        // A stopped member (Ctrl-Z, SIGTTIN) acts on SIGTERM only once continued.
        child.group.send(SIGCONT)
        killAt = now.adding(milliseconds: graceMilliseconds)
    }

    func escalate(at now: MonotonicInstant) {
        child.group.send(SIGKILL)
        killed = true
        giveUpAt = now.adding(milliseconds: Self.afterKillLimit)
        scheduleRecheck(at: now, restart: true)
    }

    /// The main process has exited but is not reaped yet: its zombie still reserves the
    /// group ID, so the group can be signalled or listed safely before reaping it.
    func mainExited(at now: MonotonicInstant) {
        waiter?.join()
        terminal?.restore()
        terminal = nil
        if ending == nil && request.detach {
            leftoverPIDs = child.group.liveMembers(excluding: child.pid)
            mainStatus = ChildStatus.reap(child.pid)
            finish()
            return
        }
        if ending == nil { beginEnding(.mainExited, at: now) }
        mainStatus = ChildStatus.reap(child.pid)
        checkGroup(at: now)
    }

    /// Finishes when no live member is left; otherwise looks again soon. Members holding a
    /// pipe wake us by closing it; the rechecks catch those that redirected their output.
    func checkGroup(at now: MonotonicInstant) {
        if child.group.hasLiveMembers() {
            scheduleRecheck(at: now, restart: false)
        } else {
            finish()
        }
    }

    func scheduleRecheck(at now: MonotonicInstant, restart: Bool) {
        recheckDelay = restart ? 1 : min(recheckDelay * 2, Self.maxRecheckDelay)
        recheckAt = now.adding(milliseconds: recheckDelay)
    }

    /// Takes what the pipes hold and stops. Whoever still has them open is outside the
    /// group (or detached), so waiting for their end of file could take for ever.
    func finish() {
        drain(.stdout)
        drain(.stderr)
        if stdoutOpen { close(child.stdoutFD) }
        if stderrOpen { close(child.stderrFD) }
        stdoutOpen = false
        stderrOpen = false
        finished = true
    }
}
