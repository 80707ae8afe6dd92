import FoundationEssentials
import RunbookBasics

extension Value {
    /// The text a value becomes in a template or through `string()`.
    ///
    /// Integral numbers print without a fraction; lists and objects print as compact JSON
    /// with sorted keys so that the same value always renders the same way.
    package var text: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return JSONValue.numberText(n)
        case .string(let s): return s
        case .list, .object: return jsonText
        }
    }

    /// The value as JSON text (canonical: compact, keys sorted).
    package var jsonText: String { json.canonical }

    /// A short rendering for messages: strings quoted and cut to a readable length.
    package var preview: String {
        let full = jsonText
        let scalars = Array(full.unicodeScalars)
        guard scalars.count > 40 else { return full }
        return String(scalars: scalars[0..<37]) + "…"
    }

}
