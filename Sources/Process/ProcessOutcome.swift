/// How one process run ended, with its captured output.
package struct ProcessOutcome: Sendable {
    /// The exit status of the main process; nil when a signal ended it or it never started.
    package var exitCode: Int32?
    /// The signal that ended the main process, if one did.
    package var signal: Int32?
    /// The request's timeout expired and the group was ended.
    package var timedOut: Bool
    /// The interruption fired (or had fired before the start) and the group was ended.
    package var interrupted: Bool
    /// Why the process could not be started; nothing ran when this is set.
    package var startError: String?
    package var stdout: CapturedOutput
    package var stderr: CapturedOutput
    /// Wall-clock seconds from spawn until the group was done.
    package var duration: Double
    /// Group members still running when the step ended: with `detach`, those left on purpose;
    /// otherwise only members that survived SIGKILL (e.g. stuck in uninterruptible sleep, or
    /// owned by another user, which a SIGKILL from us cannot reach).
    package var leftoverPIDs: [Int32]

    package init(
        exitCode: Int32? = nil,
        signal: Int32? = nil,
        timedOut: Bool = false,
        interrupted: Bool = false,
        startError: String? = nil,
        stdout: CapturedOutput,
        stderr: CapturedOutput,
        duration: Double = 0,
        leftoverPIDs: [Int32] = []
    ) {
        self.exitCode = exitCode
        self.signal = signal
        self.timedOut = timedOut
        self.interrupted = interrupted
        self.startError = startError
        self.stdout = stdout
        self.stderr = stderr
        self.duration = duration
        self.leftoverPIDs = leftoverPIDs
    }
}
