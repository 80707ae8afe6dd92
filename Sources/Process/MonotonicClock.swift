import Glibc

/// Nanoseconds on CLOCK_MONOTONIC, so deadlines ignore changes to the wall clock.
struct MonotonicInstant: Comparable {
    var nanoseconds: Int64

    static func now() -> MonotonicInstant {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return MonotonicInstant(nanoseconds: Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec))
    }

    func adding(milliseconds: Int64) -> MonotonicInstant {
        let delta = milliseconds >= Int64.max / 1_000_000 ? Int64.max : max(0, milliseconds) * 1_000_000
        let (sum, overflow) = nanoseconds.addingReportingOverflow(delta)
        return MonotonicInstant(nanoseconds: overflow ? .max : sum)
    }

    /// Seconds elapsed since `earlier`.
    func seconds(since earlier: MonotonicInstant) -> Double {
        Double(nanoseconds - earlier.nanoseconds) / 1e9
    }

    /// Whole milliseconds until `self`, rounded up so a poll never wakes just before the deadline.
    func millisecondsFromNow(_ now: MonotonicInstant) -> Int64 {
        let remaining = nanoseconds - now.nanoseconds
        return remaining <= 0 ? 0 : (remaining + 999_999) / 1_000_000
    }

    static func < (lhs: MonotonicInstant, rhs: MonotonicInstant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }
}
