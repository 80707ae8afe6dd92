import Glibc
import RunbookBasics

/// The multiplexed ssh connections of one run: one master per host, made on first use in a
/// private directory (mode 0700), so a run of many steps on a host pays for one handshake.
///
/// A master stays up while the run goes on (it is spared by the orphan sweep) and for at most
/// a minute of idleness after (`ControlPersist`), so a run killed with SIGKILL leaves nothing
/// behind for long; `closeAll()` ends them at the end of a run.
package final class SSHConnections: Sendable {
    private let directory: String
    private let orphans: Orphans?
    private let masters = Locked<[String: String]>([:])
    private let making = Locked<Void>(())

    /// Nil when no private directory could be made; steps then connect without multiplexing.
    package init?(orphans: Orphans?) {
        var template = Array("/tmp/runbook-ssh-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else { return nil }
        directory = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        self.orphans = orphans
    }

    /// The target for `host`, over its master connection once one is up (a master that cannot
    /// be made is not an error here: the step's own ssh connects and says why it cannot).
    package func target(for host: RemoteHost, environment: [String: String]) -> SSHTarget {
        // Items of a `parallel:` fan-out ask at once: masters are made one at a time, so two
        // items on one host share one.
        making.withLock { _ in makeTarget(for: host, environment: environment) }
    }

    private func makeTarget(for host: RemoteHost, environment: [String: String]) -> SSHTarget {
        let key = [host.configFile ?? "", host.user ?? "", host.address ?? host.name, host.port.map(String.init) ?? ""]
            .joined(separator: "\u{1F}")
        if let path = masters.withLock({ $0[key] }) { return SSHTarget(host: host, controlPath: path) }
        let path = directory + "/" + String(Digest.sha256Hex(Array(key.utf8)).prefix(16))
        let master = SSHTarget(host: host, controlPath: path)
        let argv =
            ["ssh"] + master.options(master: true) + [
                "-o", "ControlPersist=60", "-N", "-f", "--",
                host.address ?? host.name,
            ]
        guard Self.runQuietly(argv, environment: environment) == 0, access(path, F_OK) == 0 else {
            return SSHTarget(host: host, controlPath: nil)
        }
        // The master went to the background as a child of this process: spare it from the sweep.
        if let orphans { orphans.spare(orphans.strays()) }
        masters.withLock { $0[key] = path }
        return master
    }

    /// Ends every master (`ssh -O exit`) and removes the directory.
    package func closeAll(environment: [String: String]) {
        let paths = masters.withLock { all in
            defer { all.removeAll() }
            return Array(all.values)
        }
        for path in paths {
            _ = Self.runQuietly(
                ["ssh", "-o", "ControlPath=\(path)", "-O", "exit", "runbook-master"], environment: environment)
            unlink(path)
        }
        rmdir(directory)
    }

    /// Runs a short ssh invocation with all three streams on /dev/null in a session of its own
    /// (so the terminal's Ctrl-C does not reach a master); its exit status, or -1.
    private static func runQuietly(_ argv: [String], environment: [String: String]) -> Int32 {
        guard case .success(let path) = ExecutableLocator(environment: environment).locate(argv[0]) else { return -1 }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in [0, 1, 2] {
            posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
        }
        // A master outlives the step: no descriptor runbook inherited may stay open in it.
        _ = GNUExtensions.addClosefrom?(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, 0x80)  // POSIX_SPAWN_SETSID (glibc 2.26)
        let env = environment.map { $0.key + "=" + $0.value }
        var pid: pid_t = 0
        let code = CStringArray.with(argv) { args in
            CStringArray.with(env) { envp in posix_spawn(&pid, path, &actions, &attributes, args, envp) }
        }
        guard code == 0 else { return -1 }
        return ChildStatus.reap(pid).exitCode ?? -1
    }
}
