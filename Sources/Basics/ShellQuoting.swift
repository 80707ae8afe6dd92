/// Quotes text as one POSIX sh word that the shell takes literally (templates, and the remote
/// command of an ssh target, which a second shell reads).
package enum ShellQuoting {
    /// `'text'`, with each `'` written as `'\''`: inside single quotes sh expands nothing, so
    /// no `$`, backtick, `;`, glob or newline in the value can become shell syntax.
    package static func quote(_ text: String) -> String {
        "'" + text.replacingScalars(of: "'", with: #"'\''"#) + "'"
    }
}
