/// A 1-based line:column position in a source file; columns count Unicode scalars.
///
/// Sixteen bytes: every node of a parsed file and most values decoded from it hold one, and
/// the line and column are kept in 32 bits each (a file is at most 16 MiB; an audit trail's
/// record number beyond 2³¹ would read as 2³¹ − 1).
package struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The file, held without reference counting (`SourceFile`).
    package var sourceFile: SourceFile
    @NarrowInt package var line: Int
    @NarrowInt package var column: Int

    package var file: String {
        get { sourceFile.path }
        set { sourceFile = SourceFile(newValue) }
    }

    package init(file: String, line: Int, column: Int) {
        self.init(sourceFile: SourceFile(file), line: line, column: column)
    }

    package init(sourceFile: SourceFile, line: Int, column: Int) {
        self.sourceFile = sourceFile
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
        (lhs.sourceFile, lhs.line, lhs.column) < (rhs.sourceFile, rhs.line, rhs.column)
    }
}
