import Glibc
import RunbookBasics

/// Starts one child with `posix_spawn`: in a new process group, with default signal
/// handling and an empty signal mask, stdin from /dev/null (or the terminal when in the
/// foreground), stdout and stderr into pipes.
struct ProcessSpawner {
    let request: ProcessRequest
    let terminal: TerminalHandoff?

    /// Signals a runner may ignore or handle that a child must not inherit as ignored.
    static let defaultedSignals: [Int32] = [
        SIGINT, SIGTERM, SIGQUIT, SIGPIPE, SIGTTOU, SIGTTIN, SIGCHLD, SIGHUP, SIGTSTP,
    ]

    func spawn() -> Result<SpawnedChild, SpawnFailure> {
        let environment = EnvironmentBlock.of(request.environment)
        if let problem = invalidInput() ?? environment.problem { return .failure(SpawnFailure(message: problem)) }
        let path: String
        switch ExecutableLocator(environment: request.environment).locate(request.argv[0]) {
        case .success(let found): path = found
        case .failure(let failure): return .failure(failure)
        }
        guard let stdoutPipe = GNUExtensions.makePipe() else { return .failure(Self.pipeFailure()) }
        guard let stderrPipe = GNUExtensions.makePipe() else {
            let failure = Self.pipeFailure()
            close(stdoutPipe.read)
            close(stdoutPipe.write)
            return .failure(failure)
        }
        let stdinPipe = request.holdsStdin && terminal == nil ? GNUExtensions.makePipe() : nil
        let result = spawn(
            path: path, environment: environment, stdoutFD: stdoutPipe.write, stderrFD: stderrPipe.write,
            stdinFD: stdinPipe?.read)
        // The child holds its own copies; ours would keep the pipes open after it exits.
        close(stdoutPipe.write)
        close(stderrPipe.write)
        if let stdinPipe { close(stdinPipe.read) }
        let pid: pid_t
        let terminalPending: Bool
        switch result {
        case .success(let started): (pid, terminalPending) = started
        case .failure(let failure):
            close(stdoutPipe.read)
            close(stderrPipe.read)
            if let stdinPipe { close(stdinPipe.write) }
            return .failure(failure)
        }
        // Non-blocking reads let the runner drain what is there without waiting for more.
        for fd in [stdoutPipe.read, stderrPipe.read] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        return .success(
            SpawnedChild(
                pid: pid, stdoutFD: stdoutPipe.read, stderrFD: stderrPipe.read,
                needsTerminalFromParent: terminalPending,
                stdinFD: stdinPipe?.write))
    }

    /// What is wrong with the command or its directory (the environment is its block's to check).
    private func invalidInput() -> String? {
        guard let program = request.argv.first, !program.isEmpty else { return "empty command" }
        if request.argv.contains(where: EnvironmentBlock.hasNUL)
            || EnvironmentBlock.hasNUL(request.workingDirectory ?? "")
        {
            return EnvironmentBlock.nulProblem
        }
        return nil
    }

    /// Returns the PID and whether the terminal still has to be handed over by the parent.
    private func spawn(
        path: String, environment: EnvironmentBlock, stdoutFD: Int32, stderrFD: Int32, stdinFD: Int32?
    ) -> Result<
        (pid_t, Bool), SpawnFailure
    > {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        configure(&attributes)
        let terminalPending: Bool
        switch configure(&actions, stdoutFD: stdoutFD, stderrFD: stderrFD, stdinFD: stdinFD) {
        case .success(let pending): terminalPending = pending
        case .failure(let failure): return .failure(failure)
        }
        var pid: pid_t = 0
        let code = CStringArray.with(request.argv) { argv in
            environment.withPointers { envp in posix_spawn(&pid, path, &actions, &attributes, argv, envp) }
        }
        guard code == 0 else { return .failure(SpawnFailure(message: describeFailure(code, path: path))) }
        return .success((pid, terminalPending))
    }

    private func configure(_ attributes: inout posix_spawnattr_t) {
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in Self.defaultedSignals { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        let flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        posix_spawnattr_setflags(&attributes, Int16(flags))
    }

    /// Returns whether the terminal still has to be handed over by the parent.
    private func configure(
        _ actions: inout posix_spawn_file_actions_t, stdoutFD: Int32, stderrFD: Int32, stdinFD: Int32?
    ) -> Result<Bool, SpawnFailure> {
        if let directory = request.workingDirectory {
            guard let addChdir = GNUExtensions.addChdir else {
                return .failure(
                    SpawnFailure(
                        message:
                            "cannot set the working directory: the C library lacks posix_spawn_file_actions_addchdir_np (glibc 2.29 or later)"
                    ))
            }
            _ = addChdir(&actions, directory)
        }
        if let stdinFD {
            posix_spawn_file_actions_adddup2(&actions, stdinFD, 0)
        } else if terminal == nil {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, stdoutFD, 1)
        posix_spawn_file_actions_adddup2(&actions, stderrFD, 2)
        var parentHandsTerminal = false
        if let terminal {
            // In the child, before exec, so the program never runs in the background of its own terminal.
            if let addTcsetpgrp = GNUExtensions.addTcsetpgrp {
                _ = addTcsetpgrp(&actions, terminal.fd)
            } else {
                parentHandsTerminal = true
            }
        }
        // Descriptors runbook inherited without close-on-exec (from a CI runner, a test harness)
        // must not reach the step: a process it leaves running would hold them open for ever.
        _ = GNUExtensions.addClosefrom?(&actions, 3)
        return .success(parentHandsTerminal)
    }

    /// posix_spawn reports a failed chdir and a failed exec with the same errno, so look at
    /// the directory to say which one it was.
    private func describeFailure(_ code: Int32, path: String) -> String {
        if let directory = request.workingDirectory {
            let isDirectory = Path.isDirectory(directory)
            if !isDirectory || access(directory, X_OK) != 0 {
                let reason = isDirectory ? SystemError.describe(EACCES) : SystemError.describe(code)
                return "cannot change to directory \(directory): \(reason)"
            }
        }
        return "\(SystemError.describe(code)): \(path)"
    }

    private static func pipeFailure() -> SpawnFailure {
        SpawnFailure(message: "cannot create output pipes: \(SystemError.describe(errno))")
    }
}
