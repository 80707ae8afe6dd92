internal import CLibYAML
import Glibc
import RunbookBasics

/// Owns one libyaml parser and the input buffer it reads; the only place `yaml_*` calls happen.
///
/// A large input is read ahead on a thread of its own (`ReadAhead`): libyaml's scanning and the
/// copying of each event out of C memory run while the composer builds nodes from the events
/// before them, in batches, at most a few batches ahead. The reader copies plain values and
/// bytes only (`Copied`); the strings are made on the composer's thread, since libyaml alone
/// keeps the reader busier than the composer.
final class EventParser {
    /// One libyaml event, copied out of C memory.
    enum Event: Sendable {
        case streamStart, streamEnd
        case documentStart(Mark), documentEnd
        case scalar(value: String, tag: String?, anchor: String?, style: YAML.ScalarStyle, start: Mark, end: Mark)
        case sequenceStart(tag: String?, anchor: String?, start: Mark)
        case sequenceEnd(end: Mark)
        case mappingStart(tag: String?, anchor: String?, start: Mark)
        case mappingEnd(end: Mark)
        case alias(anchor: String, start: Mark, end: Mark)
    }

    /// A 0-based libyaml mark.
    struct Mark: Sendable {
        var line: Int
        var column: Int
    }

    /// libyaml's own description of why it stopped.
    struct Failure: Error, Sendable {
        var problem: String
        var problemMark: Mark
        var context: String?
        var contextMark: Mark
        /// For errors found while decoding the input (bad UTF-8, control characters), the byte offset.
        var byteOffset: Int?
    }

    /// Inputs from this size on are read ahead on a second processor, when there is one.
    static let readAheadBytes = YAML.largeInputBytes

    private let source: Source
    private let ahead: ReadAhead?

    /// True when a thread reads the input ahead (so the composer may wait for it).
    var readsAhead: Bool { ahead != nil }
    private var batch = Batch()
    private var index = 0

    /// Parses `input` where it lies; `readAhead`: nil to decide by the input's size and the
    /// processors the process may use (`Parallel.processors`: one under a memory limit).
    init(input: Input, readAhead: Bool? = nil) {
        source = Source(input: input)
        let wanted = readAhead ?? (input.count >= Self.readAheadBytes && Parallel.processors > 1)
        ahead = wanted ? ReadAhead.start(source) : nil
    }

    deinit {
        ahead?.stop()
    }

    /// The next event; after the stream's end or a failure, the stream's end again.
    ///
    /// `whileWaiting` is called, when the input is read ahead and the next events are not read
    /// yet, until it returns false (nothing left to do) or they are.
    func next(whileWaiting: () -> Bool = { false }) throws(Failure) -> Event {
        // A batch holds at least one event or a failure, so this ends.
        while index == batch.events.count {
            if let failure = batch.failure {
                batch.failure = nil
                throw failure
            }
            batch = ahead?.take(whileWaiting: whileWaiting) ?? source.fill()
            index = 0
        }
        index += 1
        return batch.events[index - 1].event(texts: batch.texts)
    }

    /// Events read at a time, whether ahead or not.
    static let batchSize = 256
    /// Batches a reader ahead may hold that the composer has not taken yet.
    static let batchesAhead = 8

    /// Events copied out of libyaml, their texts' bytes in one buffer, and the failure that
    /// ended them, if one did.
    struct Batch {
        var events: [Copied] = []
        var texts: [UInt8] = []
        var failure: Failure?

        /// Nothing follows: it ends in the stream's end or a failure.
        var isLast: Bool { failure != nil || events.last?.kind == .streamEnd }
    }

    /// One event as copied out of C memory: plain values, each text a range of its batch's bytes.
    struct Copied {
        enum Kind {
            case streamStart, streamEnd, documentStart, documentEnd, scalar, sequenceStart, sequenceEnd, mappingStart,
                mappingEnd, alias
        }
        /// A range of `Batch.texts`; a negative count for none.
        struct Text {
            var offset: Int32
            var count: Int32
            static let none = Text(offset: 0, count: -1)
        }
        var kind: Kind
        var style: YAML.ScalarStyle
        var start: Mark
        var end: Mark
        var value: Text
        var tag: Text
        var anchor: Text

        /// The stream's end, once libyaml has stopped.
        static let streamEnd = Copied(
            kind: .streamEnd, style: .plain, start: Mark(line: 0, column: 0), end: Mark(line: 0, column: 0),
            value: .none,
            tag: .none, anchor: .none)

        /// The event, its strings made from `texts`.
        func event(texts: [UInt8]) -> Event {
            func string(_ text: Text) -> String? {
                guard text.count >= 0 else { return nil }
                return texts.withUnsafeBufferPointer {
                    String(
                        decoding: UnsafeBufferPointer(rebasing: $0[Int(text.offset)..<Int(text.offset + text.count)]),
                        as: UTF8.self)
                }
            }
            switch kind {
            case .streamStart: return .streamStart
            case .streamEnd: return .streamEnd
            case .documentStart: return .documentStart(start)
            case .documentEnd: return .documentEnd
            case .alias: return .alias(anchor: string(anchor) ?? "", start: start, end: end)
            case .scalar:
                return .scalar(
                    value: string(value) ?? "", tag: string(tag), anchor: string(anchor), style: style, start: start,
                    end: end)
            case .sequenceStart: return .sequenceStart(tag: string(tag), anchor: string(anchor), start: start)
            case .sequenceEnd: return .sequenceEnd(end: end)
            case .mappingStart: return .mappingStart(tag: string(tag), anchor: string(anchor), start: start)
            case .mappingEnd: return .mappingEnd(end: end)
            }
        }
    }

    /// Bytes to parse, in memory of their own that stays put while libyaml reads it (a file is
    /// read straight into it: no copy of a large input is made on the way to libyaml).
    /// Unchecked: written only before it is handed to a parser, then only read.
    final class Input: @unchecked Sendable {
        let bytes: UnsafeMutableBufferPointer<UInt8>
        /// The bytes written so far, from the start.
        private(set) var count: Int

        /// Room for `capacity` bytes, of which none is written yet (see `written`).
        init(capacity: Int) {
            bytes = .allocate(capacity: max(capacity, 1))
            count = 0
        }

        /// The bytes written, in room for `capacity` bytes (at least as many).
        func grown(to capacity: Int) -> Input {
            let grown = Input(capacity: max(capacity, count))
            _ = UnsafeMutableRawBufferPointer(grown.bytes).initializeMemory(as: UInt8.self, from: written)
            grown.count = count
            return grown
        }

        convenience init(copying array: [UInt8]) {
            self.init(capacity: array.count)
            _ = bytes.initialize(from: array)
            count = array.count
        }

        /// Notes `n` more bytes written after those counted.
        func written(_ n: Int) { count += n }

        /// Room after the bytes counted.
        var room: UnsafeMutableRawBufferPointer {
            UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(bytes)[count...])
        }

        /// The bytes written.
        var written: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: bytes[..<count]) }

        deinit { bytes.deallocate() }
    }

    /// The parser and its input. Used by one thread at a time: the reader ahead while it runs,
    /// else the composer's.
    private final class Source: @unchecked Sendable {
        private let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        private let input: Input
        private var ended = false

        init(input: Input) {
            self.input = input
            parser.initialize(to: yaml_parser_t())
            yaml_parser_initialize(parser)
            yaml_parser_set_input_string(parser, input.bytes.baseAddress, input.count)
        }

        deinit {
            yaml_parser_delete(parser)
            parser.deallocate()
        }

        /// The next events, up to `batchSize`, ending at the stream's end or a failure; once
        /// libyaml has stopped, the stream's end again (it must not be asked again).
        func fill() -> Batch {
            guard !ended else { return Batch(events: [.streamEnd]) }
            var batch = Batch()
            batch.events.reserveCapacity(EventParser.batchSize)
            while batch.events.count < EventParser.batchSize, !ended {
                var event = yaml_event_t()
                guard yaml_parser_parse(parser, &event) == 1 else {
                    ended = true
                    batch.failure = failure()
                    break
                }
                if event.type == YAML_STREAM_END_EVENT { ended = true }
                batch.events.append(EventParser.copy(&event, texts: &batch.texts))
                yaml_event_delete(&event)
            }
            return batch
        }

        private func failure() -> Failure {
            let parser = self.parser.pointee
            return Failure(
                problem: parser.problem.map { String(cString: $0) } ?? "unknown libyaml error",
                problemMark: Mark(line: Int(parser.problem_mark.line), column: Int(parser.problem_mark.column)),
                context: parser.context.map { String(cString: $0) },
                contextMark: Mark(line: Int(parser.context_mark.line), column: Int(parser.context_mark.column)),
                byteOffset: parser.error == YAML_READER_ERROR ? Int(parser.problem_offset) : nil)
        }
    }

    /// A thread that reads events ahead of the composer and hands them over in batches, through
    /// a queue of a few batches guarded by a pthread mutex (which ThreadSanitizer follows).
    private final class ReadAhead: @unchecked Sendable {

        private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        private let filled = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        private let emptied = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        // Guarded by `lock`:
        private var queue: [Batch] = []
        /// The reader has handed over its last batch.
        private var finished = false
        /// The composer wants no more.
        private var stopped = false
        private var thread = pthread_t()
        private let source: Source

        private init(source: Source) {
            self.source = source
            pthread_mutex_init(lock, nil)
            pthread_cond_init(filled, nil)
            pthread_cond_init(emptied, nil)
        }

        deinit {
            pthread_cond_destroy(emptied)
            pthread_cond_destroy(filled)
            pthread_mutex_destroy(lock)
            emptied.deallocate()
            filled.deallocate()
            lock.deallocate()
        }

        /// Starts reading `source` on a new thread; nil when no thread can be made.
        static func start(_ source: Source) -> ReadAhead? {
            let ahead = ReadAhead(source: source)
            let retained = Unmanaged.passRetained(ahead).toOpaque()
            let created = pthread_create(
                &ahead.thread, nil,
                { raw in
                    Unmanaged<ReadAhead>.fromOpaque(raw!).takeRetainedValue().read()
                    return nil
                }, retained)
            guard created == 0 else {
                Unmanaged<ReadAhead>.fromOpaque(retained).release()
                return nil
            }
            return ahead
        }

        /// The reading thread: batches of events until the stream's end, a failure, or `stop`.
        private func read() {
            while true {
                let batch = source.fill()
                guard hand(batch), !batch.isLast else { return }
            }
        }

        /// Queues a batch, waiting for room; false when the composer has stopped.
        private func hand(_ batch: Batch) -> Bool {
            pthread_mutex_lock(lock)
            defer { pthread_mutex_unlock(lock) }
            while queue.count >= EventParser.batchesAhead, !stopped { pthread_cond_wait(emptied, lock) }
            guard !stopped else { return false }
            queue.append(batch)
            if batch.isLast { finished = true }
            pthread_cond_signal(filled)
            return true
        }

        /// The next batch, doing `whileWaiting`'s work until it is read or there is no work left,
        /// then waiting for it; the stream's end once the reader has finished.
        func take(whileWaiting: () -> Bool) -> Batch {
            pthread_mutex_lock(lock)
            defer { pthread_mutex_unlock(lock) }
            var working = true
            while queue.isEmpty, !finished {
                if working {
                    // Outside the lock: the reader hands its next batch over meanwhile.
                    pthread_mutex_unlock(lock)
                    working = whileWaiting()
                    pthread_mutex_lock(lock)
                } else {
                    pthread_cond_wait(filled, lock)
                }
            }
            guard !queue.isEmpty else {
                return Batch(events: [.streamEnd])
            }
            let batch = queue.removeFirst()
            pthread_cond_signal(emptied)
            return batch
        }

        /// Ends the reading thread (it may be waiting for room) and waits for it.
        func stop() {
            pthread_mutex_lock(lock)
            stopped = true
            pthread_cond_signal(emptied)
            pthread_mutex_unlock(lock)
            pthread_join(thread, nil)
        }
    }

    /// Copies an event out of libyaml's memory: its texts' bytes appended to `texts`.
    fileprivate static func copy(_ event: inout yaml_event_t, texts: inout [UInt8]) -> Copied {
        var copied = Copied(
            kind: .streamEnd, style: .plain,
            start: Mark(line: Int(event.start_mark.line), column: Int(event.start_mark.column)),
            end: Mark(line: Int(event.end_mark.line), column: Int(event.end_mark.column)),
            value: .none, tag: .none, anchor: .none)
        switch event.type {
        case YAML_STREAM_START_EVENT: copied.kind = .streamStart
        case YAML_DOCUMENT_START_EVENT: copied.kind = .documentStart
        case YAML_DOCUMENT_END_EVENT: copied.kind = .documentEnd
        case YAML_ALIAS_EVENT:
            copied.kind = .alias
            copied.anchor = text(event.data.alias.anchor, into: &texts) ?? .none
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            copied.kind = .scalar
            // Read by length, not as a C string: a scalar may contain NUL.
            copied.value = append(s.value, count: Int(s.length), into: &texts)
            copied.tag = text(s.tag, into: &texts) ?? .none
            copied.anchor = text(s.anchor, into: &texts) ?? .none
            copied.style = style(s.style)
        case YAML_SEQUENCE_START_EVENT:
            let s = event.data.sequence_start
            copied.kind = .sequenceStart
            copied.tag = text(s.tag, into: &texts) ?? .none
            copied.anchor = text(s.anchor, into: &texts) ?? .none
        case YAML_SEQUENCE_END_EVENT: copied.kind = .sequenceEnd
        case YAML_MAPPING_START_EVENT:
            let m = event.data.mapping_start
            copied.kind = .mappingStart
            copied.tag = text(m.tag, into: &texts) ?? .none
            copied.anchor = text(m.anchor, into: &texts) ?? .none
        case YAML_MAPPING_END_EVENT: copied.kind = .mappingEnd
        default: break
        }
        return copied
    }

    typealias Text = Copied.Text

    /// A NUL-terminated text's bytes, appended; nil for none.
    private static func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?, into texts: inout [UInt8]) -> Text? {
        pointer.map {
            append($0, count: strlen(UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)), into: &texts)
        }
    }

    private static func append(_ pointer: UnsafeMutablePointer<yaml_char_t>?, count: Int, into texts: inout [UInt8])
        -> Text
    {
        let offset = texts.count
        if let pointer, count > 0 { texts.append(contentsOf: UnsafeBufferPointer(start: pointer, count: count)) }
        return Text(offset: Int32(offset), count: Int32(count))
    }

    private static func style(_ style: yaml_scalar_style_t) -> YAML.ScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: return .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: return .literal
        case YAML_FOLDED_SCALAR_STYLE: return .folded
        default: return .plain
        }
    }
}
