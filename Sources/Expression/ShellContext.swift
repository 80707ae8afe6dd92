/// Where a `{{ }}` template stands in a shell command, which decides how its value reaches the shell.
///
/// A value never becomes shell syntax: the command the shell parses holds only a reference
/// to an environment variable of the step (`"${RB_1}"`, or `${RB_1}` where the template is
/// already inside double quotes or a heredoc body), and the value travels in that variable.
/// Some contexts cannot hold a reference that way; templates there are `validate` errors.
package enum ShellContext: String, Sendable, Hashable, CaseIterable {
    /// A word of a command, outside any quotes: the reference is written `"${RB_1}"`.
    case unquoted
    /// Inside `"…"`: the reference is written `${RB_1}`.
    case doubleQuoted
    /// The body of a heredoc whose delimiter is unquoted (`<<EOF`): the reference is `${RB_1}`.
    case heredoc
    /// A word of a command inside backticks at the top level: `"${RB_1}"`.
    case backticks
    /// After `#`: the shell ignores it.
    case comment
    /// Inside `'…'` (or `$'…'`): the shell expands nothing, so no reference can work.
    case singleQuoted
    /// The body of a heredoc with a quoted delimiter (`<<'EOF'`): taken literally.
    case quotedHeredoc
    /// Inside `$((…))`, `((…))` or `$[…]`: bash evaluates the value as an expression, and array
    /// subscripts in it run commands, so only a number may stand here (`${RB_1}`).
    case arithmetic
    /// Inside `${…}`: the value would become part of a parameter expansion.
    case parameterExpansion
    /// Right after a backslash, which would escape the reference itself.
    case escaped
    /// Right after `$`, which would join the reference to another expansion.
    case afterDollar
    /// Inside backticks within double quotes or a heredoc, whose parsing POSIX leaves undefined.
    case backticksInQuotes
    /// The delimiter word of a heredoc, which the shell reads before any expansion.
    case heredocDelimiter

    /// True when a value can be passed here through an environment variable.
    package var isSafe: Bool {
        switch self {
        case .unquoted, .doubleQuoted, .heredoc, .backticks, .comment: return true
        default: return false
        }
    }

    /// True when the reference sits where the shell neither splits nor globs, so it is written without quotes.
    var isInsideQuotes: Bool { self == .doubleQuoted || self == .heredoc || self == .arithmetic }

    /// Why a value cannot be passed here, for the error message; empty where it can.
    package var problem: String {
        switch self {
        case .unquoted, .doubleQuoted, .heredoc, .backticks, .comment: return ""
        case .singleQuoted:
            return "a template inside single quotes cannot pass its value: the shell expands nothing there"
        case .quotedHeredoc:
            return "a template in a heredoc with a quoted delimiter cannot pass its value: the body is taken literally"
        case .arithmetic:
            return "a template in an arithmetic context must give a number: bash evaluates any other text as code"
        case .parameterExpansion: return "a template inside ${…} would become part of the expansion's syntax"
        case .escaped: return "a template right after a backslash would be escaped instead of substituted"
        case .afterDollar: return "a template right after '$' would be joined to another expansion"
        case .backticksInQuotes:
            return
                "a template inside backticks within quotes cannot be passed safely: POSIX leaves that parsing undefined"
        case .heredocDelimiter:
            return "a template cannot be a heredoc delimiter: the shell reads it before any expansion"
        }
    }

    /// What the author can do instead, for the `help:` line.
    package var remedy: String {
        switch self {
        case .singleQuoted:
            return
                "close the single quotes around the template, e.g. 'text '{{ x }}' more', or pass the value through env: and use \"$NAME\""
        case .quotedHeredoc:
            return "unquote the delimiter (<<EOF) so the body expands, or pass the value through env:"
        case .arithmetic:
            return
                "give the param type: int or number, or convert with int(...), so that only a number reaches the shell (bash runs $(cmd) inside a[...] of any other text)"
        case .parameterExpansion:
            return "assign the value to a variable first: V={{ x }}; then use ${V…}"
        case .escaped: return "remove the backslash before the template"
        case .afterDollar: return "remove the '$' before the template; {{ }} already substitutes the value"
        case .backticksInQuotes: return "use $(…) instead of backticks"
        case .heredocDelimiter: return "write the heredoc delimiter literally, e.g. <<EOF"
        default: return ""
        }
    }
}

/// What a shell command does with one template: where it stands, and whether a program
/// re-parses the value as shell code (`sh -c`, `eval`, `ssh`, `su -c`, `watch`).
package struct ShellSlot: Sendable, Hashable {
    package var context: ShellContext
    /// The program that parses the value again, as written in the command (`sh -c`, `ssh`, `awk`).
    package var reparsedBy: String?
    /// True when `reparsedBy` parses shell code (a plain word is then harmless); false for
    /// another language (awk, sed, SQL), where even a plain word can be code.
    package var reparsedAsShell = true
    /// bash takes the value as a variable name (`read NAME`, `printf -v NAME`, `arr[…]`), and
    /// evaluates `a[$(cmd)]` in it.
    package var usedAsName = false
    /// Inside backticks somewhere above the innermost context, which changes how it is displayed.
    package var inBackticks: Bool
    /// An argument that the command evaluates as arithmetic (`let`, `declare -i`, `[[ a -eq b ]]`).
    package var evaluatedAsArithmetic: Bool
    /// In a heredoc body: the line that ends it (tabs stripped first for `<<-`), so a display
    /// never shows a value line that a person pasting the command would see end the body.
    package var heredocDelimiter: String?
    package var heredocStripsTabs = false

    package init(
        context: ShellContext, reparsedBy: String? = nil, inBackticks: Bool = false, evaluatedAsArithmetic: Bool = false
    ) {
        self.context = context
        self.reparsedBy = reparsedBy
        self.inBackticks = inBackticks
        self.evaluatedAsArithmetic = evaluatedAsArithmetic
    }

    /// True when only a number may stand here.
    package var needsNumber: Bool { context == .arithmetic || evaluatedAsArithmetic }

    /// The problem with passing a value of `type` here, if any (nil: it can be passed).
    func problem(for type: ValueType) -> (message: String, remedy: String)? {
        if usedAsName {
            return (
                "a template where bash expects a variable name: bash evaluates a[$(cmd)] in a name",
                "write the variable name literally, and pass the value as its content"
            )
        }
        if needsNumber {
            guard type != .number else { return nil }
            return (ShellContext.arithmetic.problem, ShellContext.arithmetic.remedy)
        }
        return context.isSafe ? nil : (context.problem, context.remedy)
    }
}
