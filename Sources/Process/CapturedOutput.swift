import RunbookBasics

/// One output stream of a finished process: a bounded prefix as text, plus size and digest of all of it.
package struct CapturedOutput: Sendable, Equatable {
    /// The first `captureLimit` bytes, decoded as UTF-8 with replacement characters.
    package var text: String
    /// Every byte the stream carried, kept or not.
    package var totalBytes: Int
    /// Lowercase hex SHA-256 of every byte the stream carried.
    package var sha256: String
    /// The last 4 KiB, decoded as UTF-8; starts at a character boundary when it can.
    package var tail: String
    /// True when `text` holds only the first part: the stream was longer than the capture limit.
    package var truncated = false

    package init(text: String, totalBytes: Int, sha256: String, tail: String) {
        self.text = text
        self.totalBytes = totalBytes
        self.sha256 = sha256
        self.tail = tail
    }
}

extension CapturedOutput {
    /// Output known in full (scripted, or empty because nothing started), with a real digest and tail.
    package init(whole text: String) {
        let bytes = Array(text.utf8)
        self.init(
            text: text, totalBytes: bytes.count, sha256: Digest.sha256Hex(bytes),
            tail: String(decoding: bytes.suffix(4096), as: UTF8.self))
    }
}

extension CapturedOutput {
    /// The same output with every secret text in its kept text and tail masked (size and digest are of the real bytes).
    package func masked(by masker: SecretMasker) -> CapturedOutput {
        guard !masker.secrets.isEmpty else { return self }
        var copy = self
        copy.text = masker.mask(text)
        copy.tail = masker.mask(tail)
        return copy
    }
}
