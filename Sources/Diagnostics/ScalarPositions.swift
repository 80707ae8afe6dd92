/// Maps an offset inside a scalar's decoded value back to its place in the source file.
///
/// A YAML scalar's value is not a verbatim slice of the file: quotes, escapes, line folding
/// and block indentation all shift it. The YAML layer records one segment wherever the
/// mapping jumps; inside a segment each Unicode scalar of the value advances one column.
package struct ScalarPositions: Sendable, Hashable {
    /// A run of the value that sits verbatim on one source line (twelve bytes: a file is at
    /// most 16 MiB, so its offsets, lines and columns fit in 32 bits; see `SourceLocation`).
    package struct Segment: Sendable, Hashable {
        @NarrowInt package var valueOffset: Int
        @NarrowInt package var line: Int
        @NarrowInt package var column: Int

        package init(valueOffset: Int, line: Int, column: Int) {
            self.valueOffset = valueOffset
            self.line = line
            self.column = column
        }
    }

    /// The file, held without reference counting (`SourceFile`).
    package var sourceFile: SourceFile
    /// Sorted by `valueOffset`; never empty.
    package var segments: [Segment]

    package var file: String { sourceFile.path }

    package init(file: String, segments: [Segment]) {
        self.init(sourceFile: SourceFile(file), segments: segments)
    }

    package init(sourceFile: SourceFile, segments: [Segment]) {
        precondition(!segments.isEmpty, "a scalar has at least one segment")
        self.sourceFile = sourceFile
        self.segments = segments
    }

    /// Positions for text that sits verbatim on one line starting at `start`.
    package init(start: SourceLocation) {
        self.init(
            sourceFile: start.sourceFile, segments: [Segment(valueOffset: 0, line: start.line, column: start.column)])
    }

    /// The source location of the Unicode scalar at `offset` in the value.
    package func location(atOffset offset: Int) -> SourceLocation {
        var low = 0
        var high = segments.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if segments[mid].valueOffset <= offset { low = mid } else { high = mid - 1 }
        }
        let segment = segments[low]
        return SourceLocation(
            sourceFile: sourceFile, line: segment.line, column: segment.column + max(0, offset - segment.valueOffset))
    }

    /// The positions of a substring of the value that starts at `offset`.
    package func shifted(by offset: Int) -> ScalarPositions {
        guard offset > 0 else { return self }
        let start = location(atOffset: offset)
        // One list, built in order (a template's every part is shifted; most have one segment).
        var rest = [Segment(valueOffset: 0, line: start.line, column: start.column)]
        for segment in segments where segment.valueOffset > offset {
            rest.append(Segment(valueOffset: segment.valueOffset - offset, line: segment.line, column: segment.column))
        }
        return ScalarPositions(sourceFile: sourceFile, segments: rest)
    }
}
