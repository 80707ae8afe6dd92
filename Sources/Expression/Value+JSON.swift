import RunbookBasics

extension Value {
    /// Parses JSON text into a value; the parser's reason when it is not JSON.
    static func parseJSON(_ text: String) -> Result<Value, JSONParseFailure> {
        JSONValue.parsing(text).map(Value.init(json:))
    }

    /// An output value read back from an audit record: its text, and its type when it was not a
    /// string (`step.end.output_types`). Text that does not read as that type stays text.
    package init(recorded text: String, type: String?) {
        switch type.flatMap(ValueType.init(rawValue:)) {
        case .null?: self = .null
        case .bool?: self = text == "true" ? .bool(true) : (text == "false" ? .bool(false) : .string(text))
        case .number?: self = Double(text).map(Value.number) ?? .string(text)
        case .list?, .object?: self = (try? Self.parseJSON(text).get()) ?? .string(text)
        default: self = .string(text)
        }
    }

    /// A JSON value as an expression value: every number becomes a `Double`.
    init(json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .number(Double(i))
        case .number(let n): self = .number(n)
        case .string(let s): self = .string(s)
        case .array(let items): self = .list(items.map(Value.init(json:)))
        case .object(let members): self = .object(members.mapValues(Value.init(json:)))
        }
    }

    /// The value in the JSON model, whose canonical text is the value's JSON text.
    var json: JSONValue {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let n): return .number(n)
        case .string(let s): return .string(s)
        case .list(let items): return .array(items.map(\.json))
        case .object(let members): return .object(members.mapValues(\.json))
        }
    }
}
