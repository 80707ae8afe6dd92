/// A declared playbook parameter (SPEC §1.5).
public struct Param: Sendable, Hashable {
    /// The parameter types a playbook can declare.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case string, int, number, bool, duration
    }

    public var name: String
    public var location: SourceLocation
    public var kind: Kind
    public var defaultValue: ParamValue?
    /// True when the run cannot start without a value (default: true when there is no default).
    public var required: Bool
    public var pattern: Located<String>?
    public var min: Double?
    public var max: Double?
    public var choices: [ParamValue]?
    public var secret: Bool
    /// Environment variable the value is read from when not given on the command line.
    public var env: String?
    public var description: String?

    public init(name: String, location: SourceLocation, kind: Kind) {
        self.name = name
        self.location = location
        self.kind = kind
        self.defaultValue = nil
        self.required = true
        self.secret = false
    }
}

/// A typed parameter value.
public enum ParamValue: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case int(Int)
    case number(Double)
    case bool(Bool)
    case duration(TimeSpan)

    public var description: String {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .number(let d): return Value.format(d)
        case .bool(let b): return b ? "true" : "false"
        case .duration(let d): return d.description
        }
    }

    /// Parses text as a value of `kind`; nil when it is not one.
    public init?(parsing text: String, as kind: Param.Kind) {
        switch kind {
        case .string: self = .string(text)
        case .int:
            // Expressions hold numbers as doubles, exact for integers up to 2^53.
            guard let i = Int(text), i.magnitude <= 1 << 53 else { return nil }
            self = .int(i)
        case .number:
            guard let d = Double(text), d.isFinite else { return nil }
            self = .number(d)
        case .bool:
            guard let b = YAML.resolveBool(text) else { return nil }
            self = .bool(b)
        case .duration:
            guard let d = TimeSpan(parsing: text) else { return nil }
            self = .duration(d)
        }
    }
}
