import Crypto
import FoundationEssentials

/// SHA-256 digests as lowercase hex, the form the audit trail records.
package enum Digest {
    package static func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
        hex(SHA256.hash(data: Array(bytes)))
    }

    /// The digest of `first`'s UTF-8 followed by `second`, without joining them.
    package static func sha256Hex(_ first: String, then second: [UInt8]) -> String {
        var hasher = SHA256()
        var first = first
        first.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        second.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return hex(hasher.finalize())
    }

    /// Lowercase hex of `bytes` (a digest, an authentication code, a few bytes), read in place:
    /// copying a digest into an array first went through it a byte at a time.
    package static func hex(_ bytes: some ContiguousBytes) -> String {
        bytes.withUnsafeBytes { bytes in
            String(unsafeUninitializedCapacity: bytes.count * 2) { out in
                for (i, byte) in bytes.enumerated() {
                    out[2 * i] = hexDigits[Int(byte >> 4)]
                    out[2 * i + 1] = hexDigits[Int(byte & 0x0F)]
                }
                return bytes.count * 2
            }
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
