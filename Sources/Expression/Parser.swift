import RunbookDiagnostics

/// Recursive-descent parser from tokens to an `Expr` tree, with conventional precedence and a nesting limit.
///
/// Nesting is bounded so that hostile or generated input gets a diagnostic instead of
/// exhausting the stack, here or later in the checker and evaluator, which recurse over the tree.
struct Parser {
    /// How deep parentheses, lists, calls and prefix operators may nest.
    static let maxNesting = 64
    /// How tall the tree may grow, which also bounds long operator chains.
    static let maxTreeDepth = 256

    let source: SourceText
    var tokens: [Token]
    var position = 0
    var nesting = 0

    init(source: SourceText, tokens: [Token]) {
        self.source = source
        self.tokens = tokens
    }

    var current: Token { tokens[position] }

    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    /// Parses the whole token list as one expression.
    mutating func parseAll() throws(Diagnostic) -> Expr {
        if case .end = current.kind {
            throw error("empty expression", at: current.offset, hint: "write an expression, e.g. exit_code == 0")
        }
        let expr = try parseBinary(minPrecedence: 1)
        guard case .end = current.kind else {
            throw error(
                "unexpected \(current.display) after the expression", at: current.offset,
                hint: "combine conditions with && or ||; call functions as name(arguments)")
        }
        return expr
    }

    mutating func parseBinary(minPrecedence: Int) throws(Diagnostic) -> Expr {
        var lhs = try parseUnary()
        while let op = BinaryOperator(token: current.kind), op.precedence >= minPrecedence {
            let opToken = advance()
            let rhs = try parseBinary(minPrecedence: op.precedence + 1)
            lhs = try node(.binary(op, lhs, rhs), lhs.range.lowerBound..<rhs.range.upperBound, anchor: opToken.offset)
        }
        return lhs
    }

    mutating func parseUnary() throws(Diagnostic) -> Expr {
        try enterNesting()
        defer { nesting -= 1 }
        let start = current.offset
        let op: UnaryOperator?
        switch current.kind {
        case .bang: op = .not
        case .minus: op = .negate
        default: op = nil
        }
        guard let op else { return try parsePostfix() }
        advance()
        let operand = try parseUnary()
        return try node(.unary(op, operand), start..<operand.range.upperBound, anchor: start)
    }

    mutating func enterNesting() throws(Diagnostic) {
        nesting += 1
        if nesting > Parser.maxNesting {
            throw error(
                "expression is nested too deeply (more than \(Parser.maxNesting) levels)", at: current.offset,
                hint: "split it up, e.g. compute parts in a step's outputs")
        }
    }

    /// Builds a node, refusing trees taller than the limit.
    func node(_ kind: Expr.Kind, _ range: Range<Int>, anchor: Int? = nil) throws(Diagnostic) -> Expr {
        let expr = Expr(kind, range: range, anchor: anchor)
        if expr.depth > Parser.maxTreeDepth {
            throw error(
                "expression is too long or nested too deeply (more than \(Parser.maxTreeDepth) levels)",
                at: expr.anchor, hint: "split it up, e.g. compute parts in a step's outputs")
        }
        return expr
    }

    func error(_ message: String, at offset: Int, hint: String? = nil) -> Diagnostic {
        .error(message, at: source.location(atOffset: offset), hint: hint)
    }

    /// Consumes the expected token or reports what was found instead.
    @discardableResult
    mutating func expect(_ kind: Token.Kind, _ what: String, hint: String? = nil) throws(Diagnostic) -> Token {
        guard current.kind == kind else {
            throw error("expected \(what), found \(current.display)", at: current.offset, hint: hint)
        }
        return advance()
    }
}
