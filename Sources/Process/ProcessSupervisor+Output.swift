import Glibc

/// Reading the output pipes into the captures and the observer.
extension ProcessSupervisor {
    /// Bounds the final drain (16 MiB per stream) against a writer outside the group that never stops.
    static let maxDrainReads = 256

    /// Reads one chunk from a readable pipe; returns false when nothing more is available now.
    @discardableResult
    func readChunk(_ channel: OutputChannel) -> Bool {
        let fd = channel == .stdout ? child.stdoutFD : child.stderrFD
        var count: Int
        repeat { count = read(fd, buffer.baseAddress, buffer.count) } while count < 0 && errno == EINTR
        if count > 0 {
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            switch channel {
            case .stdout: stdout.append(chunk)
            case .stderr: stderr.append(chunk)
            }
            observer?.output(chunk, from: channel)
            return true
        }
        if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return false }
        // End of file, or an error that will not go away: this stream is done.
        close(fd)
        switch channel {
        case .stdout: stdoutOpen = false
        case .stderr: stderrOpen = false
        }
        // The last holder of a pipe may just have died: see whether the group is gone too.
        if mainStatus != nil, !finished { recheckAt = MonotonicInstant.now() }
        return false
    }

    /// Reads whatever the pipe holds right now, without waiting for more.
    func drain(_ channel: OutputChannel) {
        for _ in 0..<Self.maxDrainReads {
            let open = channel == .stdout ? stdoutOpen : stderrOpen
            guard open, readChunk(channel) else { return }
        }
    }
}
