import RunbookDiagnostics

/// Expressions already parsed, by their text, for checking many texts that repeat them.
///
/// A node's offsets count from the start of its expression's text, so a tree parsed once serves
/// every place the same text is written; only the source (where each character sits) differs.
/// A long playbook names `params.service` in hundreds of commands: each is parsed once per
/// thread. Texts that do not parse are not kept, so each failure is reported where it occurs.
/// Unchecked: used by one thread at a time — each part of a parallel check makes its own.
package final class ParsedExpressions: @unchecked Sendable {
    // Unchecked exclusivity, as the class is used by one thread at a time and never reentered:
    // checking each access at run time was a visible part of looking an expression up.
    @exclusivity(unchecked) private var roots: [String: Expr] = [:]
    /// The shell scanner's lists, kept from one command to the next.
    @exclusivity(unchecked) var shellScratch = ShellScanner.Scratch()

    package init() {
        // Room for a part of a check's distinct texts (a few per step) without growing at each doubling.
        roots.reserveCapacity(256)
    }

    /// The expression of `source`, parsed now or taken from an earlier text like it.
    package func expression(parsing source: SourceText) throws(Diagnostic) -> Expression {
        if let root = roots[source.value] { return Expression(source: source, root: root) }
        let expression = try Expression(parsing: source)
        roots[source.value] = expression.root
        return expression
    }
}
