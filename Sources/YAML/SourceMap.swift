import Glibc
import RunbookBasics
import RunbookDiagnostics

/// The input as Unicode scalars with line starts, so marks can be turned into offsets.
///
/// libyaml reports 0-based line and column (in characters); the scalar-position
/// alignment needs to walk the raw source between two marks.
struct SourceMap {
    let file: SourceFile
    let scalars: [Unicode.Scalar]
    /// Index into `scalars` of the first character of each line (0-based lines).
    let lineStarts: [Int]
    /// The file's bytes when it is ASCII (then each is its scalar): a value written verbatim is
    /// compared with them by `memcmp` (`ScalarAligner`).
    let asciiBytes: [UInt8]?

    init(file: String, text: String) {
        let scalars = text.scalarArray
        self.init(file: file, scalars: scalars, lineStarts: Self.lineStarts(of: scalars), asciiBytes: nil)
    }

    /// The map of UTF-8 `bytes`; invalid bytes are each one replacement character, as libyaml
    /// (which rejects them with a position) counts them.
    init(file: String, bytes: UnsafeBufferPointer<UInt8>) {
        // Most playbooks are ASCII, whose bytes are their scalars (`scalarArray`) and whose only
        // breaks are LF and CR: the lines of one without a CR are found by `memchr`.
        let ascii = String.asciiScalars(bytes)
        if let ascii, let base = bytes.baseAddress, memchr(base, Int32(UInt8(ascii: "\r")), bytes.count) == nil {
            var starts = [0]
            starts.reserveCapacity(bytes.count / 16 + 1)
            var from = base
            let end = base + bytes.count
            while from < end, let found = memchr(from, Int32(UInt8(ascii: "\n")), end - from) {
                from = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) + 1
                starts.append(from - base)
            }
            self.init(file: file, scalars: ascii, lineStarts: starts, asciiBytes: Array(bytes))
        } else {
            let scalars = ascii ?? String(decoding: bytes, as: UTF8.self).scalarArray
            self.init(
                file: file, scalars: scalars, lineStarts: Self.lineStarts(of: scalars),
                asciiBytes: ascii == nil ? nil : Array(bytes))
        }
    }

    private init(file: String, scalars: [Unicode.Scalar], lineStarts: [Int], asciiBytes: [UInt8]?) {
        self.file = SourceFile(file)
        self.scalars = scalars
        self.lineStarts = lineStarts
        self.asciiBytes = asciiBytes
    }

    /// Where each line starts, breaks counted as libyaml counts them.
    private static func lineStarts(of scalars: [Unicode.Scalar]) -> [Int] {
        var starts = [0]
        // Room for lines of 16 characters and more, the most a playbook has.
        starts.reserveCapacity(scalars.count / 16 + 1)
        scalars.withUnsafeBufferPointer { scalars in
            var i = 0
            while i < scalars.count {
                let c = scalars[i]
                // Most characters are printable ASCII, none of them a break.
                if c.value > 0x0D, c.value < 0x80 {
                    i += 1
                    continue
                }
                if c == "\r", i + 1 < scalars.count, scalars[i + 1] == "\n" {
                    i += 2
                    starts.append(i)
                    continue
                }
                i += 1
                if SourceMap.isBreak(c) { starts.append(i) }
            }
        }
        return starts
    }

    /// Line breaks as libyaml counts them.
    static func isBreak(_ c: Unicode.Scalar) -> Bool {
        c == "\n" || c == "\r" || c == "\u{85}" || c == "\u{2028}" || c == "\u{2029}"
    }

    /// Scalar index of a 0-based line and column.
    func index(line: Int, column: Int) -> Int {
        guard line < lineStarts.count else { return scalars.count }
        return min(scalars.count, lineStarts[line] + column)
    }

    /// Scalar index of a byte offset in the original UTF-8 input (invalid bytes count as one scalar each).
    func scalarIndex(ofByteOffset offset: Int) -> Int {
        var bytes = 0
        var index = 0
        while index < scalars.count, bytes < offset {
            // A replacement character stands for one invalid byte.
            bytes += scalars[index] == "\u{FFFD}" ? 1 : UTF8.width(scalars[index])
            index += 1
        }
        return index
    }

    /// The location of `index`, looked for first on `line` (0-based), where a caller that knows
    /// the line from libyaml's mark expects it: no search through every line start then.
    func location(ofIndex index: Int, onLine line: Int) -> SourceLocation {
        if line >= 0, line < lineStarts.count, lineStarts[line] <= index,
            line + 1 == lineStarts.count || index < lineStarts[line + 1]
        {
            return SourceLocation(sourceFile: file, line: line + 1, column: index - lineStarts[line] + 1)
        }
        return location(ofIndex: index)
    }

    /// 1-based location of a scalar index.
    func location(ofIndex index: Int) -> SourceLocation {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= index { low = mid } else { high = mid - 1 }
        }
        return SourceLocation(sourceFile: file, line: low + 1, column: index - lineStarts[low] + 1)
    }

    /// The text of a 1-based line, without its line break.
    func lineText(_ line: Int) -> String? {
        guard line >= 1, line <= lineStarts.count else { return nil }
        var end = line < lineStarts.count ? lineStarts[line] : scalars.count
        while end > lineStarts[line - 1], SourceMap.isBreak(scalars[end - 1]) { end -= 1 }
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars[lineStarts[line - 1]..<end])
        return String(s)
    }
}
