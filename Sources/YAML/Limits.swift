import RunbookDiagnostics

extension YAML {
    /// Bounds that keep hostile or broken input from exhausting time or memory.
    ///
    /// libyaml 0.2.5 has no nesting limit and expands nothing itself; aliases are
    /// expanded by our composer, so the composer is where the caps live.
    package struct Limits: Sendable, Hashable {
        /// Largest accepted input, in bytes.
        package var maxBytes: Int
        /// Deepest accepted nesting of sequences and mappings.
        package var maxDepth: Int
        /// Most nodes that aliases may add to the document in total.
        package var maxAliasNodes: Int

        package init(maxBytes: Int = 16 << 20, maxDepth: Int = 256, maxAliasNodes: Int = 100_000) {
            self.maxBytes = maxBytes
            self.maxDepth = maxDepth
            self.maxAliasNodes = maxAliasNodes
        }
    }

    /// The outcome of parsing one file: its root node when it could be built, and every finding.
    package struct ParseResult: Sendable {
        package var root: Node?
        package var diagnostics: [Diagnostic]
        /// True when the input holds no document at all (nothing but comments and whitespace), so
        /// a reader can say what its kind of file needs instead of the generic finding.
        package var isEmpty = false
        /// The size of the input, in bytes.
        package var bytes = 0

        package init(root: Node?, diagnostics: [Diagnostic]) {
            self.root = root
            self.diagnostics = diagnostics
        }
    }
}
