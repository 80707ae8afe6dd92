import Glibc
import RunbookBasics
import RunbookDiagnostics

/// Works out where each character of a scalar's value sits in the source.
///
/// The value differs from the source text by quotes, escapes, folded line breaks and
/// indentation. Walking both in step, skipping what YAML drops, gives every value
/// offset a source position in one linear pass; a jump starts a new segment.
struct ScalarAligner {
    let source: SourceMap
    /// The 0-based line libyaml reports the scalar to start on.
    let line: Int

    func positions(value: String, style: YAML.ScalarStyle, from start: Int, to end: Int) -> ScalarPositions {
        if let verbatim = verbatim(value, style: style, from: start, to: end) { return verbatim }
        var p = contentStart(style: style, from: start, to: end)
        var segments: [ScalarPositions.Segment] = []
        var previous = -2
        let src = source.scalars
        for (offset, c) in value.unicodeScalars.enumerated() {
            p = skipDropped(before: c, at: p, end: end, style: style)
            let here = min(p, max(start, end - 1))
            if here != previous + 1 || segments.isEmpty || isLineStart(here) {
                let loc = source.location(ofIndex: here)
                segments.append(.init(valueOffset: offset, line: loc.line, column: loc.column))
            }
            previous = here
            p += consumed(by: c, at: p, end: end, style: style, source: src)
        }
        if segments.isEmpty {
            let loc = source.location(ofIndex: min(p, source.scalars.count))
            segments.append(.init(valueOffset: 0, line: loc.line, column: loc.column))
        }
        return ScalarPositions(sourceFile: source.file, segments: segments)
    }

    /// Most scalars are written exactly as their value, on one line (`run: systemctl restart x`,
    /// `"a quoted value"`): one segment, found by comparing instead of aligning. Nil otherwise.
    private func verbatim(_ value: String, style: YAML.ScalarStyle, from start: Int, to end: Int) -> ScalarPositions? {
        let first: Int
        let last: Int
        switch style {
        case .plain: (first, last) = (start, end)
        case .singleQuoted, .doubleQuoted: (first, last) = (start + 1, end - 1)
        case .literal, .folded: return nil
        }
        guard first < last, last <= source.scalars.count, writtenAsIs(value, from: first, to: last) else { return nil }
        let loc = source.location(ofIndex: first, onLine: line)
        return ScalarPositions(
            sourceFile: source.file, segments: [.init(valueOffset: 0, line: loc.line, column: loc.column)])
    }

    /// True when `value` is the source's characters from `first` to `last`, none a line break.
    private func writtenAsIs(_ value: String, from first: Int, to last: Int) -> Bool {
        // In an ASCII file, when its bytes are the file's there: one `memcmp` (a value with a
        // byte beyond ASCII cannot match).
        if let file = source.asciiBytes {
            return value.withUTF8Bytes { bytes in
                guard bytes.count == last - first, let value = bytes.baseAddress else { return false }
                return memcmp(value, file.baseAddress! + first, bytes.count) == 0
                    && memchr(value, 0x0A, bytes.count) == nil && memchr(value, 0x0D, bytes.count) == nil
            }
        }
        // In a file beyond ASCII, an ASCII value is compared byte by byte (its bytes are its
        // scalars), the rest scalar by scalar.
        let src = source.scalars
        let asciiMatch: Bool? = value.withUTF8Bytes { bytes in
            guard bytes.count == last - first else { return String.isASCII(bytes) ? false : nil }
            for (n, byte) in bytes.enumerated() {
                guard byte < 0x80 else { return nil }
                guard src[first + n].value == UInt32(byte), byte != 0x0A, byte != 0x0D else { return false }
            }
            return true
        }
        if let asciiMatch { return asciiMatch }
        var k = first
        for c in value.unicodeScalars {
            guard k < last, src[k] == c, !SourceMap.isBreak(c) else { return false }
            k += 1
        }
        return k == last
    }

    private func isLineStart(_ index: Int) -> Bool {
        index > 0 && index < source.scalars.count && SourceMap.isBreak(source.scalars[index - 1])
    }

    /// Quoted scalars start after the quote; block scalars after their header line.
    private func contentStart(style: YAML.ScalarStyle, from start: Int, to end: Int) -> Int {
        switch style {
        case .plain: return start
        case .singleQuoted, .doubleQuoted: return min(start + 1, end)
        case .literal, .folded:
            var p = start
            while p < end, !SourceMap.isBreak(source.scalars[p]) { p += 1 }
            return min(p + 1, end)
        }
    }

    /// Skips source characters that YAML removed before the value character `c`.
    private func skipDropped(before c: Unicode.Scalar, at start: Int, end: Int, style: YAML.ScalarStyle) -> Int {
        var p = start
        let src = source.scalars
        while p < end {
            let s = src[p]
            if s == c { return p }
            if (c == " " || c == "\n") && SourceMap.isBreak(s) { return p }
            if style == .doubleQuoted && s == "\\" {
                // An escaped line break continues the line and contributes nothing.
                if p + 1 < end, SourceMap.isBreak(src[p + 1]) { p += 2; continue }
                return p
            }
            if s == " " || s == "\t" || SourceMap.isBreak(s) { p += 1; continue }
            return p  // nothing sensible to skip: map here and move on
        }
        return p
    }

    /// How many source characters produced the value character `c`.
    private func consumed(
        by c: Unicode.Scalar, at p: Int, end: Int, style: YAML.ScalarStyle, source src: SourceScalars
    ) -> Int {
        guard p < end else { return 1 }
        let s = src[p]
        if style == .singleQuoted, c == "'", s == "'", p + 1 < end, src[p + 1] == "'" { return 2 }
        if style == .doubleQuoted, s == "\\", p + 1 < end {
            switch src[p + 1] {
            case "x": return 4
            case "u": return 6
            case "U": return 10
            default: return 2
            }
        }
        if s == "\r", p + 1 < end, src[p + 1] == "\n" { return 2 }
        return 1
    }
}
