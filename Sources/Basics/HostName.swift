import Glibc

/// This machine's host name, as runs record it (`run.start.host`).
package enum HostName {
    package static func current() -> String {
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count)
        return String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
