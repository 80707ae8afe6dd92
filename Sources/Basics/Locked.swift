import Glibc

/// A value shared between threads, behind a pthread mutex.
///
/// Used instead of the standard library's `Mutex`, whose lock on Linux is a bare futex that
/// ThreadSanitizer cannot follow: every access it guarded was reported as a race, which made
/// the sanitizer blind to real ones. ThreadSanitizer follows pthread mutexes.
package final class Locked<Value>: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    /// Read and written only between `pthread_mutex_lock` and `pthread_mutex_unlock`. Kept in
    /// memory of its own rather than a stored property, so that what ThreadSanitizer sees is
    /// the value's own bytes, not the exclusivity bookkeeping of a class property.
    private let value = UnsafeMutablePointer<Value>.allocate(capacity: 1)

    package init(_ value: sending Value) {
        self.value.initialize(to: value)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        value.deinitialize(count: 1)
        value.deallocate()
    }

    /// Runs `body` with the value while holding the lock (not recursive: `body` must not take it again).
    package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value.pointee)
    }
}
