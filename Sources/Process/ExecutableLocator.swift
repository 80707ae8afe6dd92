import Glibc

/// Finds the program for `argv[0]` the way `execvp` would, but in the *child's* PATH:
/// posix_spawnp would search the runner's own PATH, which a step's `env:` may have changed.
struct ExecutableLocator {
    let environment: [String: String]

    /// Used when the child's environment has no PATH, like glibc's execvp default.
    static let defaultSearchPath = "/usr/local/bin:/usr/bin:/bin"

    func locate(_ program: String) -> Result<String, SpawnFailure> {
        // A path is taken as given; exec reports whether it exists.
        if program.contains("/") { return .success(program) }
        let searchPath = environment["PATH"] ?? Self.defaultSearchPath
        var deniedCandidate: String?
        for directory in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + program
            var info = stat()
            guard stat(candidate, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            if access(candidate, X_OK) == 0 { return .success(candidate) }
            deniedCandidate = deniedCandidate ?? candidate
        }
        if let deniedCandidate {
            return .failure(SpawnFailure(message: "\(SystemError.describe(EACCES)): \(deniedCandidate)"))
        }
        return .failure(SpawnFailure(message: "command not found: \(program)"))
    }
}
