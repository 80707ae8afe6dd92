import Glibc

/// The environment this process was started with, read once.
///
/// Every layer that needs the environment (params, the audit directory, the lock directory,
/// the operator's name, the steps' own environment) reads this one snapshot; building the
/// dictionary again for each of them was a measurable part of a one-step run (see the
/// README's "Performance" section). runbook never changes its own environment, so one
/// snapshot is the environment for the whole run.
package enum ProcessEnvironment {
    package static let current: [String: String] = read(environ)

    /// `NAME=VALUE` entries of `environ`; an entry without `=` is skipped, and of two entries
    /// with the same name the first wins, as `getenv` would answer.
    static func read(_ entries: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> [String: String] {
        var result: [String: String] = [:]
        var entry = entries
        while let pointer = entry.pointee {
            let length = strlen(pointer)
            pointer.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
                let all = UnsafeBufferPointer(start: bytes, count: length)
                guard let equals = all.firstIndex(of: UInt8(ascii: "=")) else { return }
                let name = String(decoding: all[..<equals], as: UTF8.self)
                if result[name] == nil {
                    result[name] = String(decoding: all[(equals + 1)...], as: UTF8.self)
                }
            }
            entry += 1
        }
        return result
    }
}
