/// A 1-based line:column position in a source file; columns count Unicode scalars.
package struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    package var file: String
    package var line: Int
    package var column: Int

    package init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// A whole line of a file that is not source text (an audit record): printed as `FILE:LINE`, not quoted.
    package static func line(_ line: Int, of path: String) -> SourceLocation {
        SourceLocation(file: path, line: line, column: 0)
    }

    /// A location for diagnostics that are about a file as a whole (line and column 0 are not printed).
    package static func file(_ path: String) -> SourceLocation {
        SourceLocation(file: path, line: 0, column: 0)
    }

    package var description: String {
        line == 0 ? file : column == 0 ? "\(file):\(line)" : "\(file):\(line):\(column)"
    }

    package static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }
}
