internal import CLibYAML
import Glibc

/// Owns one libyaml parser and the input buffer it reads; the only place `yaml_*` calls happen.
///
/// A large input is read ahead on a thread of its own (`ReadAhead`): libyaml's scanning and the
/// copying of each event out of C memory run while the composer builds nodes from the events
/// before them, in batches, at most a few batches ahead.
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
    private var batch: [Result<Event, Failure>] = []
    private var index = 0

    /// `readAhead`: nil to decide by the input's size and the processors online.
    init(bytes: [UInt8], readAhead: Bool? = nil) {
        source = Source(bytes: bytes)
        let wanted = readAhead ?? (bytes.count >= Self.readAheadBytes && sysconf(Int32(_SC_NPROCESSORS_ONLN)) > 1)
        ahead = wanted ? ReadAhead.start(source) : nil
    }

    deinit {
        ahead?.stop()
    }

    /// The next event; after the stream's end or a failure, the stream's end again.
    func next() throws(Failure) -> Event {
        guard let ahead else { return try source.next() }
        if index == batch.count {
            batch = ahead.take()
            index = 0
        }
        index += 1
        return try batch[index - 1].get()
    }

    /// The parser and its input. Used by one thread at a time: the reader ahead while it runs,
    /// else the composer's.
    private final class Source: @unchecked Sendable {
        private let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        private let buffer: UnsafeMutableBufferPointer<UInt8>
        private var ended = false

        init(bytes: [UInt8]) {
            buffer = .allocate(capacity: max(bytes.count, 1))
            _ = buffer.initialize(from: bytes)
            parser.initialize(to: yaml_parser_t())
            yaml_parser_initialize(parser)
            yaml_parser_set_input_string(parser, buffer.baseAddress, bytes.count)
        }

        deinit {
            yaml_parser_delete(parser)
            parser.deallocate()
            buffer.deallocate()
        }

        func next() throws(Failure) -> Event {
            // libyaml must not be asked again once it has stopped.
            guard !ended else { return .streamEnd }
            var event = yaml_event_t()
            guard yaml_parser_parse(parser, &event) == 1 else {
                ended = true
                throw failure()
            }
            defer { yaml_event_delete(&event) }
            if event.type == YAML_STREAM_END_EVENT { ended = true }
            return EventParser.convert(&event)
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
        typealias Batch = [Result<Event, Failure>]
        static let batchSize = 256
        static let batchesAhead = 8

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
            var last = false
            while !last {
                var batch: Batch = []
                batch.reserveCapacity(Self.batchSize)
                while batch.count < Self.batchSize, !last {
                    do {
                        let event = try source.next()
                        // Looked at before it is handed over, so that it is moved into the batch, not copied.
                        if case .streamEnd = event { last = true }
                        batch.append(.success(event))
                    } catch {
                        batch.append(.failure(error))
                        last = true
                    }
                }
                guard hand(batch, last: last) else { return }
            }
        }

        /// Queues a batch, waiting for room; false when the composer has stopped.
        private func hand(_ batch: Batch, last: Bool) -> Bool {
            pthread_mutex_lock(lock)
            defer { pthread_mutex_unlock(lock) }
            while queue.count >= Self.batchesAhead, !stopped { pthread_cond_wait(emptied, lock) }
            guard !stopped else { return false }
            queue.append(batch)
            if last { finished = true }
            pthread_cond_signal(filled)
            return true
        }

        /// The next batch, waiting for it; the stream's end once the reader has finished.
        func take() -> Batch {
            pthread_mutex_lock(lock)
            defer { pthread_mutex_unlock(lock) }
            while queue.isEmpty, !finished { pthread_cond_wait(filled, lock) }
            guard !queue.isEmpty else { return [.success(.streamEnd)] }
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

    fileprivate static func convert(_ event: inout yaml_event_t) -> Event {
        let start = Mark(line: Int(event.start_mark.line), column: Int(event.start_mark.column))
        let end = Mark(line: Int(event.end_mark.line), column: Int(event.end_mark.column))
        switch event.type {
        case YAML_STREAM_START_EVENT: return .streamStart
        case YAML_DOCUMENT_START_EVENT: return .documentStart(start)
        case YAML_DOCUMENT_END_EVENT: return .documentEnd
        case YAML_ALIAS_EVENT: return .alias(anchor: string(event.data.alias.anchor) ?? "", start: start, end: end)
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            // Read by length, not as a C string: a scalar may contain NUL.
            let value = String(decoding: UnsafeBufferPointer(start: s.value, count: Int(s.length)), as: UTF8.self)
            return .scalar(
                value: value, tag: string(s.tag), anchor: string(s.anchor), style: style(s.style), start: start,
                end: end)
        case YAML_SEQUENCE_START_EVENT:
            let s = event.data.sequence_start
            return .sequenceStart(tag: string(s.tag), anchor: string(s.anchor), start: start)
        case YAML_SEQUENCE_END_EVENT: return .sequenceEnd(end: end)
        case YAML_MAPPING_START_EVENT:
            let m = event.data.mapping_start
            return .mappingStart(tag: string(m.tag), anchor: string(m.anchor), start: start)
        case YAML_MAPPING_END_EVENT: return .mappingEnd(end: end)
        default: return .streamEnd
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
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
