import Glibc
import RunbookBasics

/// Where a step's command runs. The engine names a target; an implementation turns the
/// local request into the one that runs the command there (README: targets). Local and
/// ssh exist; another transport (`kubectl exec`, say) is one more implementation, chosen by
/// the effects, with no change to the engine.
package protocol Target: Sendable {
    /// The target's name as plans and records show it.
    var name: String { get }
    /// The request that runs `request`'s command on this target with `exports` in its
    /// environment there (the step's `env:` and the template values its command reads).
    func request(for request: ProcessRequest, exports: [String: String]) -> ProcessRequest
}

/// This machine: the request as it is.
package struct LocalTarget: Target {
    package var name: String { "local" }

    package init() {}

    package func request(for request: ProcessRequest, exports: [String: String]) -> ProcessRequest {
        var local = request
        local.environment.merge(exports) { _, export in export }
        return local
    }
}

/// A command run on a remote host through `ssh`, over the connection `SSHConnections` keeps open.
///
/// The remote login shell reads one line: `exec /bin/sh -c WRAPPER sh SCRIPT`, each part
/// quoted once more for it. SCRIPT exports the step's values and runs the command; WRAPPER runs
/// SCRIPT in a session of its own and ends it when ssh's stdin (held open by the runner for as
/// long as the step runs) reaches its end — which is what happens when the local `ssh` is ended
/// by a timeout or Ctrl-C — so nothing is left running on the host.
package struct SSHTarget: Target {
    package var host: RemoteHost
    /// `ControlPath` of the multiplexed connection; nil connects anew.
    package var controlPath: String?

    package init(host: RemoteHost, controlPath: String?) {
        self.host = host
        self.controlPath = controlPath
    }

    package var name: String { host.name }

    /// ssh's exit status when it could not connect or lost the connection (ssh(1)); a
    /// command's own 255 cannot be told from it.
    package static let connectionFailure: Int32 = 255

    /// Runs SCRIPT in a session of its own (`setsid`, where the host has it); ends that
    /// session's group (TERM, then KILL 5 s later) when stdin ends before SCRIPT does; exits
    /// with SCRIPT's status. The watcher reads stdin through fd 3, since sh gives a background
    /// list /dev/null as stdin, and writes nothing, so it never keeps the channel open.
    static let wrapper = """
        exec 3<&0 </dev/null
        if command -v setsid >/dev/null 2>&1; then setsid /bin/sh -c "$1" & else /bin/sh -c "$1" & fi; pid=$!
        (while read -r _; do :; done; kill -TERM -"$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null; sleep 5; \
        kill -KILL -"$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null) <&3 >/dev/null 2>&1 &
        watch=$!; exec 3<&-; wait "$pid"; status=$?; kill "$watch" 2>/dev/null; exit "$status"
        """

    package func request(for request: ProcessRequest, exports: [String: String]) -> ProcessRequest {
        var script = exports.sorted { $0.key < $1.key }.map { "export \($0.key)=\(ShellQuoting.quote($0.value)); " }
            .joined()
        if let directory = request.workingDirectory { script += "cd \(ShellQuoting.quote(directory)) || exit 1; " }
        // `sh -c COMMAND` as the step wrote it runs as COMMAND there; an argv is quoted word by word.
        if request.argv.count == 3, request.argv[1] == "-c", request.argv[0].hasSuffix("sh") {
            script += request.argv[2]
        } else {
            script += request.argv.map(ShellQuoting.quote).joined(separator: " ")
        }
        let remote = "exec /bin/sh -c \(ShellQuoting.quote(Self.wrapper)) sh \(ShellQuoting.quote(script))"
        var ssh = request
        ssh.argv = ["ssh"] + options(master: false) + ["--", host.address ?? host.name, remote]
        ssh.workingDirectory = nil
        ssh.holdsStdin = true
        return ssh
    }

    /// The options every ssh invocation for this host carries. Host keys are checked as the
    /// user's configuration says: nothing here relaxes `StrictHostKeyChecking`.
    func options(master: Bool) -> [String] {
        var args: [String] = []
        if let file = host.configFile { args += ["-F", file] }
        args += ["-o", "BatchMode=yes"]
        if let controlPath {
            args += ["-o", "ControlPath=\(controlPath)", "-o", master ? "ControlMaster=yes" : "ControlMaster=no"]
        }
        if let user = host.user { args += ["-l", user] }
        if let port = host.port { args += ["-p", String(port)] }
        for option in host.options { args += ["-o", "\(option.name)=\(option.value)"] }
        return args
    }
}
