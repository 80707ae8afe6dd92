import Glibc

/// The process group a step runs in; its ID is the main child's PID.
struct ProcessGroup {
    let id: pid_t

    /// Sends `signal` to every member. Failure (ESRCH: nobody left; EPERM: members we may
    /// not signal, such as a setuid program) is not actionable here: liveness checks report it.
    func send(_ signal: Int32) {
        _ = kill(-id, signal)
    }

    /// Whether any member other than zombies is left. Zombies are dead: they only wait for
    /// their new parent (init or a subreaper) to reap them, which we do not control.
    func hasLiveMembers() -> Bool {
        if kill(-id, 0) != 0 && errno == ESRCH { return false }
        return !liveMembers().isEmpty
    }

    /// The PIDs of members that are not zombies, found by scanning /proc, excluding `excluded`.
    func liveMembers(excluding excluded: pid_t? = nil) -> [pid_t] {
        guard let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        var members: [pid_t] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let pid = pid_t(name), pid != excluded else { continue }
            if let stat = ProcStat(pid: pid), stat.group == id, stat.state != "Z", stat.state != "X" {
                members.append(pid)
            }
        }
        return members.sorted()
    }
}

/// The few fields of /proc/PID/stat that group scans need.
struct ProcStat {
    var state: Character
    var group: pid_t

    /// Nil when the process is gone or the file cannot be parsed.
    init?(pid: pid_t) {
        let fd = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 512)
        var count = 0
        repeat { count = read(fd, &buffer, buffer.count) } while count < 0 && errno == EINTR
        guard count > 0 else { return nil }
        self.init(statLine: buffer[..<count])
    }

    /// Parses "pid (comm) state ppid pgrp …"; comm may contain spaces and parentheses, so
    /// the fields are counted from the last ')'.
    init?(statLine: ArraySlice<UInt8>) {
        guard let close = statLine.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = statLine[(close + 1)...].split(separator: UInt8(ascii: " "), maxSplits: 4)
        guard fields.count >= 3, let stateByte = fields[0].first,
            let group = pid_t(String(decoding: fields[2], as: UTF8.self))
        else { return nil }
        self.state = Character(Unicode.Scalar(stateByte))
        self.group = group
    }
}
