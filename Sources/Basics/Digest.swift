import Crypto

/// SHA-256 digests as lowercase hex, the form the audit trail records.
package enum Digest {
    package static func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
        hex(SHA256.hash(data: Array(bytes)))
    }

    /// The digest of `first` followed by `second`, without joining them.
    package static func sha256Hex(_ first: [UInt8], then second: [UInt8]) -> String {
        var hasher = SHA256()
        hasher.update(data: first)
        hasher.update(data: second)
        return hex(hasher.finalize())
    }

    package static func hex(_ digest: some Sequence<UInt8>) -> String {
        let bytes = Array(digest)
        let digits = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            for (i, byte) in bytes.enumerated() {
                out[2 * i] = digits[Int(byte >> 4)]
                out[2 * i + 1] = digits[Int(byte & 0x0F)]
            }
            return bytes.count * 2
        }
    }
}
