import Glibc

/// glibc functions declared only under _GNU_SOURCE, which Swift's Glibc module is imported
/// without. They are looked up by name at run time; nil means this C library lacks them
/// (addchdir_np: glibc 2.29, addtcsetpgrp_np: 2.35, pipe2: 2.9).
enum GNUExtensions {
    typealias AddChdir =
        @convention(c) (
            UnsafeMutablePointer<posix_spawn_file_actions_t>?, UnsafePointer<CChar>?
        ) -> Int32
    typealias AddTcsetpgrp = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>?, Int32) -> Int32

    /// prctl is variadic in C, so Swift does not import it; this is its five-argument form.
    typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
    static let setChildSubreaper: Int32 = 36  // PR_SET_CHILD_SUBREAPER, <linux/prctl.h>

    // Each looked up once, as pidfdOpen below: a lookup by name per spawn was a visible part of
    // starting a step.
    static let prctl: Prctl? = dlsym(nil, "prctl").map { unsafeBitCast($0, to: Prctl.self) }

    static let addChdir: AddChdir? = dlsym(nil, "posix_spawn_file_actions_addchdir_np").map {
        unsafeBitCast($0, to: AddChdir.self)
    }

    typealias AddClosefrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32

    /// glibc 2.34: closes every descriptor from a number on in the child, before exec.
    static let addClosefrom: AddClosefrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map {
        unsafeBitCast($0, to: AddClosefrom.self)
    }

    typealias PidfdOpen = @convention(c) (pid_t, UInt32) -> Int32

    /// glibc 2.36 (Linux 5.3): a descriptor that becomes readable when the process exits,
    /// without reaping it.
    static let pidfdOpen: PidfdOpen? = dlsym(nil, "pidfd_open").map { unsafeBitCast($0, to: PidfdOpen.self) }

    static let addTcsetpgrp: AddTcsetpgrp? = dlsym(nil, "posix_spawn_file_actions_addtcsetpgrp_np").map {
        unsafeBitCast($0, to: AddTcsetpgrp.self)
    }

    /// A close-on-exec pipe, made atomically with pipe2 so that a child spawned by another
    /// thread at the same moment cannot inherit it. Returns (read end, write end).
    private static let pipe2: Pipe2? = dlsym(nil, "pipe2").map { unsafeBitCast($0, to: Pipe2.self) }

    static func makePipe(nonBlocking: Bool = false) -> (read: Int32, write: Int32)? {
        var fds: [Int32] = [-1, -1]
        let flags = O_CLOEXEC | (nonBlocking ? O_NONBLOCK : 0)
        if let pipe2 {
            guard pipe2(&fds, flags) == 0 else { return nil }
            return (fds[0], fds[1])
        }
        // Without pipe2 the flags are set afterwards, which leaves a short window for that race.
        guard pipe(&fds) == 0 else { return nil }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            if nonBlocking { _ = fcntl(fd, F_SETFL, O_NONBLOCK) }
        }
        return (fds[0], fds[1])
    }
}
