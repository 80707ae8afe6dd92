import Glibc
import Synchronization

/// A request to stop the running step: from SIGINT, SIGTERM or SIGHUP, or from the run
/// itself when nothing more may start (the audit trail cannot be written).
///
/// `interrupt()` only stores atomics and writes one byte to a pipe, both async-signal-safe,
/// so it may be called from a real signal handler. The byte wakes every runner blocked in
/// `poll()` at once — the items of a `parallel:` fan-out wait side by side — and stays in the
/// pipe until `reset()`, so none can miss it; the state stays set (later steps see it too)
/// until then. A second interrupt while the first is being handled asks for the running groups
/// to be killed at once.
package final class Interruption: Sendable {
    private let flag = Atomic<Bool>(false)
    private let firstSignal = Atomic<Int32>(0)
    private let requests = Atomic<Int>(0)
    /// Read end polled by runners, or -1 when no pipe could be made (runners then check the flag periodically).
    package let wakeFD: Int32
    private let signalFD: Int32

    package init() {
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

    /// Marks the interruption and wakes any runner waiting on it; `signal` is the signal that
    /// caused it (0 when the run stops itself). The first cause is kept.
    package func interrupt(signal: Int32 = 0) {
        _ = firstSignal.compareExchange(expected: 0, desired: signal, ordering: .sequentiallyConsistent)
        requests.add(1, ordering: .sequentiallyConsistent)
        flag.store(true, ordering: .sequentiallyConsistent)
        guard signalFD >= 0 else { return }
        var byte: UInt8 = 1
        // A full pipe (EAGAIN) already wakes runners, so the result does not matter.
        _ = write(signalFD, &byte, 1)
    }

    package var isInterrupted: Bool { flag.load(ordering: .sequentiallyConsistent) }

    /// The signal that interrupted the run, or nil (not interrupted, or stopped by the run itself).
    package var signal: Int32? {
        let value = firstSignal.load(ordering: .sequentiallyConsistent)
        return value == 0 ? nil : value
    }

    /// True once a second interrupt arrived: whatever runs is to be killed without a grace period.
    package var isForced: Bool { requests.load(ordering: .sequentiallyConsistent) >= 2 }

    /// Clears the state, e.g. before running rollback actions after the operator chose to roll back.
    package func reset() {
        flag.store(false, ordering: .sequentiallyConsistent)
        firstSignal.store(0, ordering: .sequentiallyConsistent)
        requests.store(0, ordering: .sequentiallyConsistent)
        guard wakeFD >= 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wakeFD, &buffer, buffer.count) > 0 {}
    }
}

extension Interruption {
    /// The conventional name of a signal, for records and messages.
    package static func name(of signal: Int32) -> String {
        switch signal {
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        case SIGHUP: return "SIGHUP"
        case SIGQUIT: return "SIGQUIT"
        default: return "signal \(signal)"
        }
    }
}
