import Glibc
import RunbookBasics
import RunbookDiagnostics

/// The input as Unicode scalars with line starts, so marks can be turned into offsets.
///
/// libyaml reports 0-based line and column (in characters); the scalar-position
/// alignment needs to walk the raw source between two marks.
struct SourceMap {
    let file: SourceFile
    let scalars: SourceScalars
    /// Index into `scalars` of the first character of each line (0-based lines).
    let lineStarts: [Int]

    /// The file's bytes when it is ASCII (then each is its scalar): a value written verbatim is
    /// compared with them by `memcmp` (`ScalarAligner`).
    var asciiBytes: UnsafeBufferPointer<UInt8>? { scalars.asciiBytes }

    init(file: String, text: String) {
        let scalars = text.scalarArray
        self.init(file: file, scalars: SourceScalars(scalars), lineStarts: Self.lineStarts(of: scalars))
    }

    /// The map of UTF-8 `bytes` (copied); invalid bytes are each one replacement character, as
    /// libyaml (which rejects them with a position) counts them.
    init(file: String, bytes: UnsafeBufferPointer<UInt8>) {
        self.init(file: file, input: EventParser.Input(copying: Array(bytes)))
    }

    /// The map of the bytes written to `input`, which an ASCII file's map keeps and reads in place.
    init(file: String, input: EventParser.Input) {
        let bytes = input.written
        // Most playbooks are ASCII, whose bytes are their scalars and whose only breaks are LF
        // and CR: such a file is read as its bytes (no array of scalars, four bytes each, is
        // made), and the lines of one without a CR are found by `memchr`.
        guard String.isASCII(bytes) else {
            let scalars = String(decoding: bytes, as: UTF8.self).scalarArray
            self.init(file: file, scalars: SourceScalars(scalars), lineStarts: Self.lineStarts(of: scalars))
            return
        }
        let scalars = SourceScalars(ascii: bytes, owner: input)
        if let base = bytes.baseAddress, memchr(base, Int32(UInt8(ascii: "\r")), bytes.count) == nil {
            var starts = [0]
            starts.reserveCapacity(bytes.count / 16 + 1)
            var from = base
            let end = base + bytes.count
            while from < end, let found = memchr(from, Int32(UInt8(ascii: "\n")), end - from) {
                from = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) + 1
                starts.append(from - base)
            }
            self.init(file: file, scalars: scalars, lineStarts: starts)
        } else {
            self.init(file: file, scalars: scalars, lineStarts: Self.lineStarts(of: scalars))
        }
    }

    private init(file: String, scalars: SourceScalars, lineStarts: [Int]) {
        self.file = SourceFile(file)
        self.scalars = scalars
        self.lineStarts = lineStarts
    }

    /// Where each line starts, breaks counted as libyaml counts them.
    private static func lineStarts<Scalars: RandomAccessCollection<Unicode.Scalar>>(of scalars: Scalars) -> [Int]
    where Scalars.Index == Int {
        var starts = [0]
        // Room for lines of 16 characters and more, the most a playbook has.
        starts.reserveCapacity(scalars.count / 16 + 1)
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

/// A file's characters by index: its bytes when it is ASCII (each byte is its scalar), kept by
/// their owner and read in place, or its decoded scalars otherwise.
struct SourceScalars: RandomAccessCollection {
    /// An ASCII file's bytes, alive as long as `owner`.
    let asciiBytes: UnsafeBufferPointer<UInt8>?
    private let owner: AnyObject?
    private let decoded: [Unicode.Scalar]

    init(_ decoded: [Unicode.Scalar]) {
        asciiBytes = nil
        owner = nil
        self.decoded = decoded
    }

    init(ascii bytes: UnsafeBufferPointer<UInt8>, owner: AnyObject) {
        asciiBytes = bytes
        self.owner = owner
        decoded = []
    }

    var startIndex: Int { 0 }
    var endIndex: Int { asciiBytes?.count ?? decoded.count }

    subscript(index: Int) -> Unicode.Scalar {
        if let asciiBytes {
            // Checked as an array's index is: the bytes are read through a pointer.
            precondition(index >= 0 && index < asciiBytes.count, "index out of range")
            return Unicode.Scalar(asciiBytes[index])
        }
        return decoded[index]
    }
}
