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
        ProcStat.all().filter { $0.value.group == id && $0.value.isLive && $0.key != excluded }.keys.sorted()
    }
}

/// The few fields of /proc/PID/stat that group and descendant scans need.
struct ProcStat {
    var state: Character
    var parent: pid_t
    var group: pid_t

    var isLive: Bool { state != "Z" && state != "X" }

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

    /// Every process of the system that could be read, by PID.
    static func all() -> [pid_t: ProcStat] {
        guard let directory = opendir("/proc") else { return [:] }
        defer { closedir(directory) }
        var processes: [pid_t: ProcStat] = [:]
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if let pid = pid_t(name), let stat = ProcStat(pid: pid) { processes[pid] = stat }
        }
        return processes
    }

    /// Parses "pid (comm) state ppid pgrp …"; comm may contain spaces and parentheses, so
    /// the fields are counted from the last ')'.
    init?(statLine: ArraySlice<UInt8>) {
        guard let close = statLine.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = statLine[(close + 1)...].split(separator: UInt8(ascii: " "), maxSplits: 4)
        guard fields.count >= 3, let stateByte = fields[0].first,
            let parent = pid_t(String(decoding: fields[1], as: UTF8.self)),
            let group = pid_t(String(decoding: fields[2], as: UTF8.self))
        else { return nil }
        self.state = Character(Unicode.Scalar(stateByte))
        self.parent = parent
        self.group = group
    }
}
