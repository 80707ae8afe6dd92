import FoundationEssentials
import Glibc

/// Whole writes to and reads from file descriptors, retried on EINTR and short counts, for the
/// executable's standard streams (without Foundation's `FileHandle`; see `Text.swift`).
enum StandardStreams {
    /// Writes every byte of `text` to `fd`; gives up quietly when the reader has gone (EPIPE) or
    /// the descriptor fails, as a terminal writer must.
    static func write(_ text: String, to fd: Int32) {
        var text = text
        text.withUTF8 { write(bytes: $0, to: fd) }
    }

    /// Writes every one of `bytes` to `fd`, as `write(_:to:)` does.
    static func write(bytes: UnsafeBufferPointer<UInt8>, to fd: Int32) {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            offset += n
        }
    }

    /// Everything `fd` yields until end of file; nil when reading fails.
    static func readAll(_ fd: Int32) -> Data? {
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { return data }
            data.append(contentsOf: chunk[..<n])
        }
    }
}
