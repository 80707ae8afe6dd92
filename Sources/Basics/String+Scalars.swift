extension String {
    /// Replaces every occurrence of `target`, comparing Unicode scalars rather than Characters.
    ///
    /// Character comparison would miss a `'` followed by a combining mark (one Character),
    /// letting a quote through unescaped; scalar comparison cannot.
    package func replacingScalars(of target: String, with replacement: String) -> String {
        let needle = Array(target.unicodeScalars)
        guard !needle.isEmpty else { return self }
        let scalars = Array(unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            if i + needle.count <= scalars.count, Array(scalars[i..<i + needle.count]) == needle {
                out.append(contentsOf: replacement.unicodeScalars)
                i += needle.count
            } else {
                out.append(scalars[i])
                i += 1
            }
        }
        return String(out)
    }
}

extension String {
    /// Calls `body` with this string's UTF-8 bytes, read in place (copied only for a string that
    /// has no contiguous UTF-8 storage).
    ///
    /// Walking `utf8` byte by byte costs tens of instructions a byte; the scanners and word
    /// tables that look at every word of a command read the bytes this way instead.
    @inlinable
    package func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        return try Array(utf8).withUnsafeBufferPointer(body)
    }

    /// `self == word`, for an ASCII `word` without `K`, `;` or a backtick (the only ASCII
    /// characters another scalar decomposes to, see `WordSet`): only a string of its length can
    /// equal it. `==` calls out of line for every pair of strings that differ; this tells most
    /// apart by their lengths (the shell scanner asks it of every word of every command).
    @inlinable
    package func isWord(_ word: String) -> Bool {
        assert(word.utf8.allSatisfy { $0 < 0x80 && $0 != 0x4B && $0 != 0x3B && $0 != 0x60 }, "a plain ASCII word")
        return utf8.count == word.utf8.count && self == word
    }

    /// True when every byte is ASCII; read eight bytes at a time (a whole file is asked, and
    /// every word and template that a parser reads as bytes).
    @inlinable
    package static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = UnsafeRawPointer(bytes.baseAddress) else { return true }
        var i = 0
        var high: UInt64 = 0
        while i + 8 <= bytes.count {
            high |= base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < bytes.count {
            high |= UInt64(bytes[i])
            i += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }

    /// The scalars of ASCII `bytes`, one per byte; nil when a byte is not ASCII.
    package static func asciiScalars(_ bytes: UnsafeBufferPointer<UInt8>) -> [Unicode.Scalar]? {
        // Measured both ways: making an array of uninitialized scalars takes the generic
        // allocation path (some 600 instructions, more than a short expression's decoding),
        // appending costs about 18 a byte. Short texts append; long ones are written in place.
        guard isASCII(bytes) else { return nil }
        guard bytes.count >= 64 else {
            var scalars: [Unicode.Scalar] = []
            scalars.reserveCapacity(bytes.count)
            for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
            return scalars
        }
        return [Unicode.Scalar](unsafeUninitializedCapacity: bytes.count) { buffer, count in
            // Sixteen bytes at a time, widened as vectors (the compiler left a plain loop scalar).
            let source = UnsafeRawPointer(bytes.baseAddress!)
            let target = UnsafeMutableRawPointer(buffer.baseAddress!)
            var i = 0
            while i + 16 <= bytes.count {
                let narrow = source.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
                target.storeBytes(
                    of: SIMD16<UInt32>(truncatingIfNeeded: narrow), toByteOffset: 4 * i, as: SIMD16<UInt32>.self)
                i += 16
            }
            while i < bytes.count {
                buffer[i] = Unicode.Scalar(bytes[i])
                i += 1
            }
            count = bytes.count
        }
    }

    /// The string's Unicode scalars, decoded in one pass into storage of the right size (an
    /// ASCII string's bytes are its scalars). `Array(unicodeScalars)` counts the scalars first,
    /// decoding the text twice; parsers take the scalars of every expression and template.
    package var scalarArray: [Unicode.Scalar] {
        if let ascii = withUTF8Bytes(Self.asciiScalars) { return ascii }
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(utf8.count)
        scalars.append(contentsOf: unicodeScalars)
        return scalars
    }
}

extension String {
    /// The string of these scalars, encoded in one pass into storage of the right size.
    ///
    /// `String(String.UnicodeScalarView(slice))` appends scalar by scalar, growing and
    /// re-validating as it goes; parsers slice their input thousands of times per playbook.
    @inlinable
    package init<Scalars: Collection<Unicode.Scalar>>(scalars: Scalars) {
        var count = 0
        for scalar in scalars { count += UTF8.width(scalar) }
        self.init(unsafeUninitializedCapacity: count) { buffer in
            var writer = UTF8Writer(buffer)
            for scalar in scalars { writer.append(scalar) }
            return writer.count
        }
    }

    @inlinable
    package init(scalars: [Unicode.Scalar]) { self.init(scalars: scalars[...]) }
}

/// Appends scalars as UTF-8 to storage sized for them (`String(unsafeUninitializedCapacity:)`).
@usableFromInline
package struct UTF8Writer {
    @usableFromInline let buffer: UnsafeMutableBufferPointer<UInt8>
    /// The bytes written so far.
    @usableFromInline package var count = 0

    @inlinable package init(_ buffer: UnsafeMutableBufferPointer<UInt8>) { self.buffer = buffer }

    @inlinable
    package mutating func append(_ scalar: Unicode.Scalar) {
        let value = scalar.value
        if value < 0x80 {
            buffer[count] = UInt8(truncatingIfNeeded: value)
            count += 1
        } else {
            for byte in UTF8.encode(scalar)! {
                buffer[count] = byte
                count += 1
            }
        }
    }
}

extension String {
    /// What follows the last `/` (the whole string without one), found by a byte search: program
    /// names (`/usr/bin/ssh` → `ssh`) and step ids inside includes (`INCLUDE/STEP` → `STEP`).
    package var afterLastSlash: Substring {
        let slash = UInt8(ascii: "/")
        let offset = utf8.withContiguousStorageIfAvailable { $0.lastIndex(of: slash) }
        switch offset {
        case .some(nil): return self[...]
        case .some(let k?): return self[utf8.index(utf8.startIndex, offsetBy: k + 1)...]
        case nil:
            guard let found = utf8.lastIndex(of: slash) else { return self[...] }
            return self[utf8.index(after: found)...]
        }
    }
}

extension String {
    /// True when `needle`'s UTF-8 bytes occur in this string's: a plain byte search, for
    /// hot paths where `contains(_:)` of a string (a generic pattern search) costs too much.
    package func containsBytes(of needle: String) -> Bool {
        var haystack = self
        var needle = needle
        return haystack.withUTF8 { h in
            needle.withUTF8 { n in
                guard !n.isEmpty else { return true }
                guard n.count <= h.count else { return false }
                let first = n[0]
                var i = 0
                while i <= h.count - n.count {
                    if h[i] == first {
                        var j = 1
                        while j < n.count, h[i + j] == n[j] { j += 1 }
                        if j == n.count { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }
}
