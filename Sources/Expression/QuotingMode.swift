/// How a template's substituted values are inserted into the surrounding text.
package enum QuotingMode: Sendable, Hashable {
    /// `run:` and `shell:` command strings: every value is single-quoted for POSIX sh,
    /// except `{{ raw(EXPR) }}`, which is inserted verbatim.
    case shell
    /// Titles, prompts, manual text, env values and argv elements: values are inserted as text.
    case plain
}
