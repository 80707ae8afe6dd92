import Foundation
import Glibc

/// An unprivileged OpenSSH server on a free 127.0.0.1 port, with keys made in a temporary
/// directory, a throwaway client `ssh_config` and `known_hosts`, and an inventory naming it
/// several ways. Nothing of the machine's own SSH setup is read or changed (sshd running as
/// root needs its privilege-separation directory, /run/sshd, which is made when missing).
package final class SSHServer {
    package let dir: String
    package let port: Int
    /// A port nothing listens on: connections to it are refused.
    package let closedPort: Int
    private let pid: pid_t

    package static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/ssh")
    }

    package init() throws {
        let dir = try CLI.temporaryDirectory()
        let port = try Self.freePort()
        let closedPort = try Self.freePort()
        self.dir = dir
        self.port = port
        self.closedPort = closedPort
        for key in ["host_key", "user_key", "other_host_key"] {
            _ = try CLI.tool(["/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir + "/" + key], in: dir)
        }
        try String(contentsOfFile: dir + "/user_key.pub", encoding: .utf8)
            .write(toFile: dir + "/authorized_keys", atomically: true, encoding: .utf8)
        chmod(dir + "/authorized_keys", 0o600)
        try """
        Port \(port)
        ListenAddress 127.0.0.1
        HostKey \(dir)/host_key
        PidFile \(dir)/sshd.pid
        AuthorizedKeysFile \(dir)/authorized_keys
        StrictModes no
        UsePAM no
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        PubkeyAuthentication yes
        PermitRootLogin prohibit-password
        LogLevel INFO

        """.write(toFile: dir + "/sshd_config", atomically: true, encoding: .utf8)
        let hostKey = try String(contentsOfFile: dir + "/host_key.pub", encoding: .utf8)
            .split(separator: " ").prefix(2).joined(separator: " ")
        try "[127.0.0.1]:\(port) \(hostKey)\n".write(toFile: dir + "/known_hosts", atomically: true, encoding: .utf8)
        try "".write(toFile: dir + "/empty_known_hosts", atomically: true, encoding: .utf8)
        let user = String(cString: getpwuid(getuid()).pointee.pw_name)
        func block(_ aliases: String, _ port: Int, knownHosts: String) -> String {
            """
            Host \(aliases)
              HostName 127.0.0.1
              Port \(port)
              User \(user)
              IdentityFile \(dir)/user_key
              IdentitiesOnly yes
              UserKnownHostsFile \(dir)/\(knownHosts)
              GlobalKnownHostsFile /dev/null
              StrictHostKeyChecking yes
              ConnectTimeout 5

            """
        }
        try
            (block("web-1 web-2", port, knownHosts: "known_hosts")
            + block("down", closedPort, knownHosts: "known_hosts")
            + block("stranger", port, knownHosts: "empty_known_hosts"))
            .write(toFile: dir + "/ssh_config", atomically: true, encoding: .utf8)
        try """
        ssh_config: ssh_config
        hosts:
          web-1: {}
          web-2: {}
          down: {}
          stranger: {}
        groups:
          web: [web-1, web-2]

        """.write(toFile: dir + "/inventory.yaml", atomically: true, encoding: .utf8)
        if getuid() == 0, !FileManager.default.fileExists(atPath: "/run/sshd") {
            try FileManager.default.createDirectory(
                atPath: "/run/sshd", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        }
        // Not through Foundation's Process: sshd closes every descriptor it inherits, which
        // Foundation takes for its exit, and then blocks waiting for it, reaping no other child.
        let logFD = open(dir + "/sshd.log", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, logFD, 2)
        var spawned: pid_t = 0
        let argv = ["/usr/sbin/sshd", "-D", "-e", "-f", dir + "/sshd_config"]
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        let code = posix_spawn(&spawned, argv[0], &actions, nil, &cArgs, environ)
        close(logFD)
        guard code == 0 else { throw CocoaError(.fileReadUnknown) }
        pid = spawned
        // Ready when it accepts a connection.
        for _ in 0..<100 {
            if Self.accepts(port) { return }
            usleep(50_000)
        }
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "sshd did not start: \(self.log)"])
    }

    deinit {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// What sshd logged: one `Accepted publickey` line per connection made.
    package var log: String { (try? String(contentsOfFile: dir + "/sshd.log", encoding: .utf8)) ?? "" }

    package var inventory: String { dir + "/inventory.yaml" }

    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw CocoaError(.fileWriteUnknown) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// 127.0.0.1:`port` (0: any free port).
    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return address
    }

    private static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
