import Glibc
import RunbookBasics

/// Finds and ends processes that left their step's process group (`setsid cmd &`, a double
/// fork into a new session), which ending the group cannot reach.
///
/// runbook becomes a child subreaper (PR_SET_CHILD_SUBREAPER), so such a process is
/// reparented to runbook rather than to init when its parent exits, and stays findable as a
/// descendant. After each step every descendant is a stray, except those spared because a
/// `detach` step left them running on purpose (and their own descendants).
package final class Orphans: Sendable {
    /// False when the kernel refused to make runbook a subreaper; escapees are then not found.
    package let isActive: Bool
    /// An array, not a set: a few processes at most, and one generic type fewer for the runtime
    /// to instantiate at start-up.
    private let spared = Locked<[pid_t]>([])
    /// Commands being run now: more than one for the items of a `parallel:` fan-out.
    private let running = Locked<Int>(0)

    /// Makes this process a subreaper. Only one per process, and only in a program that owns
    /// all of its children (the `runbook` executable, not a test runner).
    package init() {
        isActive = GNUExtensions.prctl?(GNUExtensions.setChildSubreaper, 1, 0, 0, 0) == 0
    }

    /// Counts a command about to be started (call before spawning it).
    func commandStarting() {
        running.withLock { $0 += 1 }
    }

    /// Counts a command that ended; when no other is running, `sweep` runs (and no command
    /// starts until it is done), since any descendant left then is a stray. While others run,
    /// their processes cannot be told from strays: the sweep waits for the last of them.
    func commandEnded<T>(_ sweep: () -> T) -> T? {
        running.withLock { count in
            count -= 1
            return count == 0 ? sweep() : nil
        }
    }

    /// Leaves these processes and their descendants running from now on.
    func spare(_ pids: [pid_t]) {
        spared.withLock { spared in spared += pids.filter { !spared.contains($0) } }
    }

    /// Live descendants of this process that no spared process is an ancestor (or self) of.
    func strays() -> [pid_t] {
        guard isActive else { return [] }
        Self.reapZombies()
        guard Self.hasChildren() else { return [] }
        let me = getpid()
        let processes = ProcStat.all()
        let kept = spared.withLock { set in
            set = set.filter { processes[$0]?.isLive == true }
            return set
        }
        return processes.compactMap { pid, stat in
            guard stat.isLive, pid != me else { return nil }
            var current = pid
            var hops = 0
            while let parent = processes[current]?.parent, hops < 4096 {
                if kept.contains(current) { return nil }
                if parent == me { return pid }
                current = parent
                hops += 1
            }
            return nil
        }.sorted()
    }

    /// Ends every stray descendant (SIGTERM, then SIGKILL after `grace`): for callers that ran
    /// several steps at once and sweep when all are done (`runbook triage`). Returns the survivors.
    package func endStrays(grace: TimeSpan) -> [pid_t] {
        end(strays(), grace: grace, interruption: nil)
    }

    /// Ends `pids` as a step's group is ended: SIGTERM, then SIGKILL after `grace` (at once when
    /// the interruption is forced). Returns those still alive after that.
    func end(_ pids: [pid_t], grace: TimeSpan, interruption: Interruption?) -> [pid_t] {
        guard !pids.isEmpty else { return [] }
        for pid in pids {
            kill(pid, SIGTERM)
            kill(pid, SIGCONT)
        }
        var alive = waitForEnd(of: pids, milliseconds: grace.milliseconds, interruption: interruption)
        if !alive.isEmpty {
            for pid in alive { kill(pid, SIGKILL) }
            alive = waitForEnd(of: alive, milliseconds: ProcessSupervisor.afterKillLimit, interruption: nil)
        }
        return alive
    }

    /// Polls until every one of `pids` is gone (reaping those that are our children) or time runs out.
    private func waitForEnd(of pids: [pid_t], milliseconds: Int64, interruption: Interruption?) -> [pid_t] {
        let deadline = MonotonicInstant.now().adding(milliseconds: milliseconds)
        var alive = pids
        while true {
            Self.reapZombies()
            alive = alive.filter { ProcStat(pid: $0)?.isLive == true }
            if alive.isEmpty || MonotonicInstant.now() >= deadline || interruption?.isForced == true { return alive }
            usleep(10_000)
        }
    }

    /// True when this process has any child at all, living or not (a cheap test before a /proc scan).
    private static func hasChildren() -> Bool {
        var info = siginfo_t()
        return waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0
    }

    /// Reaps every child that has exited: orphans reparented here become our zombies.
    static func reapZombies() {
        var status: Int32 = 0
        while waitpid(-1, &status, WNOHANG) > 0 {}
    }
}
