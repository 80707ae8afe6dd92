@testable import RunbookDiagnostics
@testable import RunbookExpression

/// Helpers shared by the expression tests.
enum ExprTest {
    static let file = "p.yaml"

    /// Text that sits on one line starting at line 1, column 1 of p.yaml.
    static func source(_ text: String, line: Int = 1, column: Int = 1) -> SourceText {
        SourceText(text, at: SourceLocation(file: file, line: line, column: column))
    }

    static func parse(_ text: String) throws(Diagnostic) -> Expression {
        try Expression(parsing: source(text))
    }

    /// The diagnostic that parsing throws, or nil when it parses.
    static func parseError(_ text: String) -> Diagnostic? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }

    static func at(_ line: Int, _ column: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column)
    }
}

extension Expr {
    /// A fully parenthesised rendering that makes precedence visible in test expectations.
    var sexpr: String {
        switch kind {
        case .literal(let v): return v.jsonText
        case .list(let items): return "[" + items.map(\.sexpr).joined(separator: ", ") + "]"
        case .reference(let r): return r.sexpr
        case .identifier(let name): return name
        case .unary(let op, let x): return "(\(op.rawValue)\(x.sexpr))"
        case .binary(let op, let l, let r): return "(\(l.sexpr) \(op.rawValue) \(r.sexpr))"
        case .member(let base, let name): return "\(base.sexpr).\(name.text)"
        case .index(let base, let i): return "\(base.sexpr)[\(i.sexpr)]"
        case .call(let name, let args): return "\(name.text)(" + args.map(\.sexpr).joined(separator: ", ") + ")"
        }
    }
}

extension Reference {
    var sexpr: String {
        switch self {
        case .param(let n): return "params.\(n.text)"
        case .env(let n): return "env.\(n.text)"
        case .stepField(let s, let f): return "steps.\(s.text).\(f.text)"
        case .stepOutput(let s, let o): return "steps.\(s.text).outputs.\(o.text)"
        case .own(let n): return n.text
        case .ownOutput(let n): return "outputs.\(n.text)"
        case .loop(let n): return n.text
        }
    }
}
