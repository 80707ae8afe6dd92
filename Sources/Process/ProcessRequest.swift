import RunbookBasics

/// What to start for one attempt of a `run` step, already rendered.
package struct ProcessRequest: Sendable {
    /// The program and its arguments; a shell command arrives as `["/bin/sh", "-c", cmd]`.
    /// A program name without `/` is looked up in the child's `PATH`, not the runner's.
    package var argv: [String]
    /// The complete environment of the child; nothing is inherited implicitly.
    package var environment: [String: String]
    /// The directory the child starts in; nil keeps the runner's.
    package var workingDirectory: String?
    /// Bounds this attempt; nil waits for ever.
    package var timeout: TimeSpan?
    /// Leaves whatever the main process left running in its group alive, and reports it.
    package var detach: Bool
    /// At a terminal, hands the terminal to the child's process group while it runs, so it
    /// can prompt (sudo, interactive tools); the child's stdin is then the runner's stdin.
    package var foreground: Bool
    /// How many bytes of each stream are kept as text; the rest is only counted and hashed.
    package var captureLimit: Int
    /// stdin is a pipe the runner holds open until the child has exited, instead of /dev/null:
    /// a remote command's watchdog reads it, and its end tells the remote side to stop.
    package var holdsStdin = false

    package init(
        argv: [String],
        environment: [String: String],
        workingDirectory: String? = nil,
        timeout: TimeSpan? = nil,
        detach: Bool = false,
        foreground: Bool = false,
        captureLimit: Int = 1 << 20
    ) {
        self.argv = argv
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.timeout = timeout
        self.detach = detach
        self.foreground = foreground
        self.captureLimit = captureLimit
    }
}
