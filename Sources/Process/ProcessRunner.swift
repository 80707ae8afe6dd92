import Glibc
import RunbookBasics

/// Runs one process per request in its own process group, streams and captures its output,
/// enforces timeouts and interruption, and makes sure nothing it started outlives it
/// (unless the request says `detach`).
///
/// `run` blocks the calling thread until the step is over; it starts one short-lived helper
/// thread per run to learn when the main process exits. It installs no signal handlers.
package struct ProcessRunner: Sendable {
    /// Time between SIGTERM and SIGKILL when a group is ended (SPEC: 5 s).
    package var terminationGrace: TimeSpan
    /// When set, processes that left the step's group are ended after it too (or, for a
    /// `detach` step, spared and reported).
    package var orphans: Orphans?

    package init(terminationGrace: TimeSpan = .seconds(5), orphans: Orphans? = nil) {
        self.terminationGrace = terminationGrace
        self.orphans = orphans
    }

    /// Starts `request` and returns once its main process has exited and its group is done.
    ///
    /// When `interruption` has already fired, nothing is started and the outcome says
    /// `interrupted`.
    package func run(
        _ request: ProcessRequest,
        observer: (any OutputObserver)? = nil,
        interruption: Interruption? = nil
    ) -> ProcessOutcome {
        let startedAt = MonotonicInstant.now()
        if interruption?.isInterrupted == true {
            return Self.notStarted(request, interrupted: true, startError: nil)
        }
        let terminal = request.foreground ? TerminalHandoff.acquire() : nil
        let child: SpawnedChild
        orphans?.commandStarting()
        switch ProcessSpawner(request: request, terminal: terminal).spawn() {
        case .success(let started): child = started
        case .failure(let failure):
            terminal?.restore()
            _ = orphans?.commandEnded {}
            return Self.notStarted(request, interrupted: false, startError: failure.message)
        }
        let supervisor = ProcessSupervisor(
            child: child, request: request, grace: terminationGrace, observer: observer,
            interruption: interruption, terminal: terminal, startedAt: startedAt
        )
        let (status, ending) = supervisor.run()
        if let fd = child.stdinFD { close(fd) }
        var leftover = supervisor.leftoverPIDs
        if let orphans {
            let own = leftover
            if request.detach { orphans.spare(own) }
            leftover +=
                orphans.commandEnded {
                    let strays = orphans.strays()
                    if request.detach {
                        orphans.spare(strays)
                        return strays
                    }
                    return orphans.end(strays, grace: terminationGrace, interruption: interruption)
                } ?? []
        }
        return ProcessOutcome(
            exitCode: status.exitCode,
            signal: status.signal,
            timedOut: ending == .timedOut,
            interrupted: ending == .interrupted,
            stdout: supervisor.stdout.finish(),
            stderr: supervisor.stderr.finish(),
            duration: MonotonicInstant.now().seconds(since: startedAt),
            leftoverPIDs: leftover.sorted()
        )
    }

    private static func notStarted(_ request: ProcessRequest, interrupted: Bool, startError: String?) -> ProcessOutcome
    {
        let empty = OutputCapture(limit: 0).finish()
        return ProcessOutcome(interrupted: interrupted, startError: startError, stdout: empty, stderr: empty)
    }
}
