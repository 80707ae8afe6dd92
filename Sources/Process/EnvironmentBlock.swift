import Glibc
import RunbookBasics

/// A child's environment as `posix_spawn` takes it: `NAME=value` C strings, checked once.
///
/// Most steps run with the environment runbook itself was started with, unchanged (a step's
/// `env:` and template values make a new one). Encoding and checking every variable for every
/// step was a tenth of a live step's own work, so the last block made is kept and taken again
/// while the variables are the same: the same dictionary, compared by its storage first.
final class EnvironmentBlock: @unchecked Sendable {
    let variables: [String: String]
    /// Why these variables cannot be passed to a child, or nil.
    let problem: String?
    /// NULL-terminated; each string is owned by the block.
    private let pointers: [UnsafeMutablePointer<CChar>?]

    private init(_ variables: [String: String]) {
        self.variables = variables
        if variables.contains(where: { Self.hasNUL($0.key) || Self.hasNUL($0.value) }) {
            problem = Self.nulProblem
        } else if variables.keys.contains(where: { $0.isEmpty || $0.utf8.contains(UInt8(ascii: "=")) }) {
            problem = "environment variable names must be non-empty and contain no '='"
        } else {
            problem = nil
        }
        pointers = problem != nil ? [nil] : variables.map { strdup($0.key + "=" + $0.value) } + [nil]
    }

    deinit { pointers.forEach { free($0) } }

    /// Calls `body` with the NULL-terminated array (valid only during the call).
    func withPointers<Result>(_ body: ([UnsafeMutablePointer<CChar>?]) -> Result) -> Result {
        withExtendedLifetime(self) { body(pointers) }
    }

    private static let last = Locked<EnvironmentBlock?>(nil)

    /// The block of `variables`: the last one made when they are the same, else a new one.
    static func of(_ variables: [String: String]) -> EnvironmentBlock {
        if let block = last.withLock({ $0 }), block.variables == variables { return block }
        let block = EnvironmentBlock(variables)
        last.withLock { $0 = block }
        return block
    }

    /// What a NUL byte in the command, its environment or its directory is reported as.
    static let nulProblem = "command, environment or directory contains a NUL byte"

    /// True when `text` holds a NUL byte, which would end the C string early.
    static func hasNUL(_ text: String) -> Bool {
        text.withUTF8Bytes { $0.isEmpty ? false : memchr($0.baseAddress!, 0, $0.count) != nil }
    }
}
