import Glibc
import Synchronization

/// A request to stop the running step, typically raised from the CLI's SIGINT handling.
///
/// `interrupt()` only stores a flag and writes one byte to a pipe, both async-signal-safe,
/// so it may be called from a real signal handler. The byte wakes a runner blocked in
/// `poll()` at once; the state stays set (later steps see it too) until `reset()`.
public final class Interruption: Sendable {
    private let flag = Atomic<Bool>(false)
    /// Read end polled by runners, or -1 when no pipe could be made (runners then check the flag periodically).
    let wakeFD: Int32
    private let signalFD: Int32

    public init() {
        if let fds = GNUExtensions.makePipe(nonBlocking: true) {
            wakeFD = fds.read
            signalFD = fds.write
        } else {
            wakeFD = -1
            signalFD = -1
        }
    }

    deinit {
        if wakeFD >= 0 { close(wakeFD) }
        if signalFD >= 0 { close(signalFD) }
    }

    /// Marks the interruption and wakes any runner waiting on it.
    public func interrupt() {
        flag.store(true, ordering: .sequentiallyConsistent)
        guard signalFD >= 0 else { return }
        var byte: UInt8 = 1
        // A full pipe (EAGAIN) already wakes runners, so the result does not matter.
        _ = write(signalFD, &byte, 1)
    }

    public var isInterrupted: Bool { flag.load(ordering: .sequentiallyConsistent) }

    /// Clears the state, e.g. before running rollback actions after the operator chose to roll back.
    public func reset() {
        flag.store(false, ordering: .sequentiallyConsistent)
        guard wakeFD >= 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wakeFD, &buffer, buffer.count) > 0 {}
    }
}
