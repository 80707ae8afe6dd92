import Crypto
import RunbookBasics

/// Accumulates one stream with bounded memory: a kept prefix, a rolling tail, a count and a digest.
struct OutputCapture {
    static let tailSize = 4096

    let limit: Int
    private(set) var head: [UInt8] = []
    private var tail: [UInt8] = []
    private(set) var totalBytes = 0
    private var hasher = SHA256()

    init(limit: Int) {
        self.limit = max(0, limit)
    }

    mutating func append(_ chunk: UnsafeRawBufferPointer) {
        guard !chunk.isEmpty else { return }
        totalBytes += chunk.count
        hasher.update(bufferPointer: chunk)
        let room = limit - head.count
        if room > 0 {
            head.append(contentsOf: chunk.prefix(room))
        }
        appendToTail(chunk)
    }

    private mutating func appendToTail(_ chunk: UnsafeRawBufferPointer) {
        if chunk.count >= Self.tailSize {
            tail = Array(chunk.suffix(Self.tailSize))
            return
        }
        let overflow = tail.count + chunk.count - Self.tailSize
        if overflow > 0 { tail.removeFirst(overflow) }
        tail.append(contentsOf: chunk)
    }

    /// The SHA-256 of no bytes: most steps print nothing on one stream or both.
    private static let emptyDigest = Digest.hex(SHA256().finalize())

    func finish() -> CapturedOutput {
        let digest = totalBytes == 0 ? Self.emptyDigest : Digest.hex(hasher.finalize())
        var output = CapturedOutput(
            text: String(decoding: head, as: UTF8.self),
            totalBytes: totalBytes,
            sha256: digest,
            tail: String(decoding: tailFromCharacterBoundary(), as: UTF8.self)
        )
        output.truncated = totalBytes > head.count
        return output
    }

    /// Skips UTF-8 continuation bytes at the cut, so the tail does not open with a replacement character.
    private func tailFromCharacterBoundary() -> ArraySlice<UInt8> {
        var start = 0
        if totalBytes > tail.count {
            while start < min(3, tail.count), tail[start] & 0xC0 == 0x80 { start += 1 }
        }
        return tail[start...]
    }
}
