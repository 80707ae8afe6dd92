/// One lexical unit of an expression, with the scalar offsets it spans in the source value.
struct Token: Sendable, Hashable {
    /// What the token is; literals carry their decoded value.
    enum Kind: Sendable, Hashable {
        case number(Double)
        case string(String)
        case identifier(String)
        case keywordTrue, keywordFalse, keywordNull, keywordIn
        case leftParen, rightParen, leftBracket, rightBracket, comma, dot
        case bang, andAnd, orOr
        case equal, notEqual, less, lessEqual, greater, greaterEqual
        case plus, minus, star, slash, percent
        case end
    }

    var kind: Kind
    /// Offset of the first Unicode scalar of the token in the expression's value.
    var offset: Int
    /// Offset just past the token.
    var endOffset: Int

    /// How the token reads in a message: the source spelling for punctuation, a noun for the rest.
    var display: String {
        switch kind {
        case .number: return "number"
        case .string: return "string"
        case .identifier(let name): return "'\(name)'"
        case .keywordTrue: return "'true'"
        case .keywordFalse: return "'false'"
        case .keywordNull: return "'null'"
        case .keywordIn: return "'in'"
        case .end: return "end of expression"
        default: return "'\(Token.spelling(of: kind) ?? "?")'"
        }
    }

    /// The spelling of punctuation and operator tokens.
    static func spelling(of kind: Kind) -> String? {
        switch kind {
        case .leftParen: return "("
        case .rightParen: return ")"
        case .leftBracket: return "["
        case .rightBracket: return "]"
        case .comma: return ","
        case .dot: return "."
        case .bang: return "!"
        case .andAnd: return "&&"
        case .orOr: return "||"
        case .equal: return "=="
        case .notEqual: return "!="
        case .less: return "<"
        case .lessEqual: return "<="
        case .greater: return ">"
        case .greaterEqual: return ">="
        case .plus: return "+"
        case .minus: return "-"
        case .star: return "*"
        case .slash: return "/"
        case .percent: return "%"
        default: return nil
        }
    }
}
