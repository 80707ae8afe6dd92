import RunbookBasics
import RunbookDiagnostics
import RunbookExpression
import RunbookYAML

/// A declared playbook parameter (SPEC §1.5).
package struct Param: Sendable, Hashable {
    /// The parameter types a playbook can declare.
    package enum Kind: String, Sendable, Hashable, CaseIterable {
        case string, int, number, bool, duration, list
    }

    package var name: String
    package var location: SourceLocation
    package var kind: Kind
    package var defaultValue: ParamValue?
    /// True when the run cannot start without a value (default: true when there is no default).
    package var required: Bool
    package var pattern: Located<String>?
    package var min: Double?
    package var max: Double?
    package var choices: [ParamValue]?
    /// Bounds on the number of items of a `list` param.
    package var minItems: Int?
    package var maxItems: Int?
    package var secret: Bool
    /// Environment variable the value is read from when not given on the command line.
    package var env: String?
    package var description: String?

    package init(name: String, location: SourceLocation, kind: Kind) {
        self.name = name
        self.location = location
        self.kind = kind
        self.defaultValue = nil
        self.required = true
        self.secret = false
    }
}

/// A typed parameter value.
package enum ParamValue: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case int(Int)
    case number(Double)
    case bool(Bool)
    case duration(TimeSpan)
    /// A `list` param: strings, in the order given.
    case list([String])

    package var description: String {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .number(let d): return JSONValue.numberText(d)
        case .bool(let b): return b ? "true" : "false"
        case .duration(let d): return d.description
        case .list(let items): return JSONValue.array(items.map(JSONValue.string)).canonical
        }
    }

    /// The texts a value holds: a list's items, any other value's one text.
    package var texts: [String] {
        if case .list(let items) = self { return items }
        return [description]
    }

    /// Parses text as a value of `kind`; nil when it is not one.
    package init?(parsing text: String, as kind: Param.Kind) {
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
        case .list:
            self = .list(Self.listItems(text))
        }
    }

    /// The items one given text stands for: a JSON array's elements (`["a","b"]`, `[]`; numbers
    /// and booleans as their text), otherwise the text itself as one item.
    package static func listItems(_ text: String) -> [String] {
        guard text.utf8.first == UInt8(ascii: "["), case .array(let elements)? = JSONValue.parse(text) else {
            return [text]
        }
        var items: [String] = []
        for element in elements {
            switch element {
            case .string(let s): items.append(s)
            case .number, .bool: items.append(element.canonical)
            default: return [text]
            }
        }
        return items
    }
}

/// How a kind is named and written, for messages.
extension Param.Kind {
    package var article: String { self == .int ? "an" : "a" }

    package var example: String? {
        switch self {
        case .string: return nil
        case .int: return "a whole number such as 10"
        case .number: return "a number such as 2.5"
        case .bool: return "true or false"
        case .duration: return "a duration such as 30s, 5m or 1m30s"
        case .list: return #"a list: repeat -p NAME=a -p NAME=b, or write a JSON array such as ["a","b"]"#
        }
    }
}
