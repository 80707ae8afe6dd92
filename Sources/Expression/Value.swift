/// A runtime value of an expression: null, bool, number, string, list, or an object from `json()`.
///
/// All numbers are `Double`; integral values print without a fractional part (`3`, not `3.0`).
package enum Value: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case list([Value])
    case object([String: Value])

    /// The kind of the value, for messages and static checking.
    package var type: ValueType {
        switch self {
        case .null: return .null
        case .bool: return .bool
        case .number: return .number
        case .string: return .string
        case .list: return .list
        case .object: return .object
        }
    }

    /// Only a bool is a valid condition; see `Evaluator.condition`.
    package var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    package var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    package var numberValue: Double? {
        if case .number(let n) = self { return n }
        return nil
    }
}
