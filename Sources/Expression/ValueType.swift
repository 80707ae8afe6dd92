/// The static type of a value, as far as the checker can know it; `any` when it cannot.
package enum ValueType: String, Sendable, Hashable, CustomStringConvertible {
    case any
    case null
    case bool
    /// Numbers, including `int` params and durations (in seconds).
    case number
    case string
    case list
    case object

    /// True when the type is known, so a mismatch is certain rather than possible.
    package var isKnown: Bool { self != .any }

    /// The article-prefixed noun used in messages: "a string", "null".
    package var withArticle: String {
        switch self {
        case .any: return "a value"
        case .null: return "null"
        case .object: return "an object"
        default: return "a \(rawValue)"
        }
    }

    package var description: String { rawValue }
}
