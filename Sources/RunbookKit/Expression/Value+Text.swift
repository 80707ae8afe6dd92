import Foundation

extension Value {
    /// The text a value becomes in a template or through `string()`.
    ///
    /// Integral numbers print without a fraction; lists and objects print as compact JSON
    /// with sorted keys so that the same value always renders the same way.
    public var text: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return Value.format(n)
        case .string(let s): return s
        case .list, .object: return jsonText
        }
    }

    /// The value as JSON text.
    public var jsonText: String {
        switch self {
        case .null: return "null"
        case .bool, .number: return text
        case .string(let s): return Value.jsonQuote(s)
        case .list(let items): return "[" + items.map(\.jsonText).joined(separator: ",") + "]"
        case .object(let members):
            let body = members.keys.sorted().map { Value.jsonQuote($0) + ":" + members[$0]!.jsonText }
            return "{" + body.joined(separator: ",") + "}"
        }
    }

    /// A short rendering for messages: strings quoted and cut to a readable length.
    public var preview: String {
        let full = jsonText
        let scalars = Array(full.unicodeScalars)
        guard scalars.count > 40 else { return full }
        return String(String.UnicodeScalarView(scalars[0..<37])) + "…"
    }

    static func format(_ n: Double) -> String {
        if n == 0 { return "0" }  // also turns -0 into 0
        // Whole numbers print as integers (a shell's $(( )) takes no "1e+16"), as far as Int64 reaches.
        if n.isFinite, n == n.rounded(), abs(n) < 9.2e18 { return String(Int64(n)) }
        return "\(n)"
    }

    /// A JSON string literal, escaped as Python's `json.dumps(..., ensure_ascii=False)` does
    /// (the audit chain's canonical form depends on it).
    static func jsonQuote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
