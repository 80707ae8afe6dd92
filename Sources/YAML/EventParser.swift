internal import CLibYAML

/// Owns one libyaml parser and the input buffer it reads; the only place `yaml_*` calls happen.
final class EventParser {
    /// One libyaml event, copied out of C memory.
    enum Event {
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
    struct Mark {
        var line: Int
        var column: Int
    }

    /// libyaml's own description of why it stopped.
    struct Failure: Error {
        var problem: String
        var problemMark: Mark
        var context: String?
        var contextMark: Mark
        /// For errors found while decoding the input (bad UTF-8, control characters), the byte offset.
        var byteOffset: Int?
    }

    private var parser = yaml_parser_t()
    private let buffer: UnsafeMutableBufferPointer<UInt8>

    init(bytes: [UInt8]) {
        buffer = .allocate(capacity: max(bytes.count, 1))
        _ = buffer.initialize(from: bytes)
        yaml_parser_initialize(&parser)
        yaml_parser_set_input_string(&parser, buffer.baseAddress, bytes.count)
    }

    deinit {
        yaml_parser_delete(&parser)
        buffer.deallocate()
    }

    func next() throws(Failure) -> Event {
        var event = yaml_event_t()
        guard yaml_parser_parse(&parser, &event) == 1 else { throw failure() }
        defer { yaml_event_delete(&event) }
        return Self.convert(&event)
    }

    private func failure() -> Failure {
        Failure(
            problem: parser.problem.map { String(cString: $0) } ?? "unknown libyaml error",
            problemMark: Mark(line: Int(parser.problem_mark.line), column: Int(parser.problem_mark.column)),
            context: parser.context.map { String(cString: $0) },
            contextMark: Mark(line: Int(parser.context_mark.line), column: Int(parser.context_mark.column)),
            byteOffset: parser.error == YAML_READER_ERROR ? Int(parser.problem_offset) : nil)
    }

    private static func convert(_ event: inout yaml_event_t) -> Event {
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
