internal import CLibYAML
import Glibc
import RunbookBasics

extension YAML {
    /// Parses one YAML document into a positioned node tree; never crashes on bad input.
    ///
    /// `readAhead` runs libyaml on a second thread (nil: for large inputs on a machine with more
    /// than one processor; tests force either way); `itemWork` is given the items of top-level
    /// lists while the parse waits for it (`ItemWork`).
    package static func parse(
        _ bytes: [UInt8], file: String, limits: Limits = Limits(), readAhead: Bool? = nil,
        itemWork: ItemWork? = nil
    ) -> ParseResult {
        parse(EventParser.Input(copying: bytes), file: file, limits: limits, readAhead: readAhead, itemWork: itemWork)
    }

    static func parse(
        _ input: EventParser.Input, file: String, limits: Limits = Limits(), readAhead: Bool? = nil,
        itemWork: ItemWork? = nil
    ) -> ParseResult {
        let count = input.count
        if count > limits.maxBytes {
            return ParseResult(
                root: nil,
                diagnostics: [
                    .error(
                        "the file is \(count) bytes, more than the limit of \(limits.maxBytes)",
                        at: .file(file), hint: "a playbook should be a few kilobytes; is this the right file?")
                ])
        }
        // What is built from a large input is megabytes of small objects (see `Heap`).
        if count >= YAML.largeInputBytes {
            Heap.reserve(forInputOf: count)
            // Its steps will be decoded and checked on every processor.
            Parallel.prepare()
        }
        // Started first, so that a reader ahead scans while the source map is built.
        let events = EventParser(input: input, readAhead: readAhead)
        var composer = Composer(
            source: SourceMap(file: file, input: input), limits: limits, itemWork: itemWork)
        var result = composer.compose(events)
        result.bytes = count
        return result
    }

    /// Parses YAML text (tests and in-memory sources).
    package static func parse(
        _ text: String, file: String, limits: Limits = Limits(), readAhead: Bool? = nil, itemWork: ItemWork? = nil
    ) -> ParseResult {
        parse(Array(text.utf8), file: file, limits: limits, readAhead: readAhead, itemWork: itemWork)
    }

    /// Reads and parses a file; an unreadable file is a diagnostic, not a throw.
    package static func load(path: String, limits: Limits = Limits(), itemWork: ItemWork? = nil) -> ParseResult {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            return ParseResult(
                root: nil,
                diagnostics: [
                    .error(
                        "cannot read the file", at: .file(path), hint: "check that it exists and is readable")
                ])
        }
        defer { close(fd) }
        // Read into memory of the file's size and one byte more, so that the end is seen in the
        // first reads and an oversized file is reported without loading all of it; what has no
        // size (a pipe) or grows meanwhile gets room as it comes.
        var status = stat()
        let size = fstat(fd, &status) == 0 ? Int(status.st_size) : 0
        var input = EventParser.Input(capacity: size > 0 ? min(size, limits.maxBytes) + 1 : 64 << 10)
        while input.count <= limits.maxBytes {
            if input.room.isEmpty { input = input.grown(to: min(max(input.count * 2, 64 << 10), limits.maxBytes + 1)) }
            let room = input.room
            let n = read(fd, room.baseAddress, min(room.count, limits.maxBytes + 1 - input.count))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            input.written(n)
        }
        return parse(input, file: path, limits: limits, itemWork: itemWork)
    }
}

extension YAML {
    /// The version of the libyaml this binary runs with (`runbook doctor`).
    package static var libraryVersion: (major: Int, minor: Int, patch: Int) {
        var major: Int32 = 0
        var minor: Int32 = 0
        var patch: Int32 = 0
        yaml_get_version(&major, &minor, &patch)
        return (Int(major), Int(minor), Int(patch))
    }
}
