/// The functions an expression may call (SPEC §1.3), with their parameter and result types.
package enum BuiltinFunction: String, Sendable, Hashable, CaseIterable {
    case contains, startsWith, endsWith, matches, match
    case number, int, string, json, lines, trim, len, lower, upper
    case `default`, raw

    /// Accepted static types for each parameter; the count is the arity.
    var parameters: [Set<ValueType>] {
        let text: Set<ValueType> = [.string]
        switch self {
        case .contains: return [[.string, .list, .object], [.string, .number, .bool, .null, .list, .object]]
        case .startsWith, .endsWith, .matches, .match: return [text, text]
        case .number, .int: return [[.string, .number, .bool]]
        case .string: return [[.string, .number, .bool, .null, .list, .object]]
        case .json, .lines, .trim, .lower, .upper: return [text]
        case .len: return [[.string, .list, .object]]
        case .default: return [Set(ValueType.allConcrete), Set(ValueType.allConcrete)]
        case .raw: return [Set(ValueType.allConcrete)]
        }
    }

    var arity: Int { parameters.count }

    /// The call as written in messages, e.g. `matches(s, re)`.
    var signature: String {
        switch self {
        case .contains: return "contains(haystack, needle)"
        case .startsWith: return "startsWith(s, prefix)"
        case .endsWith: return "endsWith(s, suffix)"
        case .matches: return "matches(s, re)"
        case .match: return "match(s, re)"
        case .default: return "default(x, fallback)"
        case .json: return "json(s)"
        default: return "\(rawValue)(x)"
        }
    }

    /// The result type when the arguments have the given static types.
    func resultType(_ args: [ValueType]) -> ValueType {
        switch self {
        case .contains, .startsWith, .endsWith, .matches: return .bool
        case .number, .int, .len: return .number
        case .string, .trim, .lower, .upper: return .string
        case .lines: return .list
        case .json, .match: return .any
        case .default: return args.count == 2 && args[0] == args[1] ? args[0] : .any
        case .raw: return args.first ?? .any
        }
    }

    /// Which argument, if any, must be a regular expression literal-checked by the checker.
    var regexArgument: Int? {
        self == .matches || self == .match ? 1 : nil
    }
}

extension ValueType {
    /// Every known type, for parameters that take anything.
    static let allConcrete: [ValueType] = [.null, .bool, .number, .string, .list, .object]
}
