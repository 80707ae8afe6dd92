import Glibc

/// A started child: its PID, which is also its process-group ID, and the read ends of its output pipes.
struct SpawnedChild {
    let pid: pid_t
    let stdoutFD: Int32
    let stderrFD: Int32
    /// True when the terminal still has to be handed over from the parent side.
    let needsTerminalFromParent: Bool
    /// The write end of a held stdin (`ProcessRequest.holdsStdin`); closed once the child has exited.
    var stdinFD: Int32? = nil

    var group: ProcessGroup { ProcessGroup(id: pid) }
}

/// Why a child could not be started, in words for the operator.
struct SpawnFailure: Error {
    let message: String
}
