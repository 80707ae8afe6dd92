import RunbookDiagnostics

extension Parser {
    /// A primary value followed by any number of `.member` and `[index]` suffixes.
    mutating func parsePostfix() throws(Diagnostic) -> Expr {
        var expr = try parsePrimary()
        while true {
            switch current.kind {
            case .dot:
                let dot = advance()
                let name = try memberName(dotRead: true, after: "'.'")
                expr = try node(
                    .member(expr, name), expr.range.lowerBound..<tokens[position - 1].endOffset, anchor: dot.offset)
            case .leftBracket:
                let open = advance()
                let index = try parseBinary(minPrecedence: 1)
                let close = try expect(.rightBracket, "']'", hint: "close the index with ]")
                expr = try node(.index(expr, index), expr.range.lowerBound..<close.endOffset, anchor: open.offset)
            case .leftParen:
                throw error(
                    "only functions can be called", at: current.offset,
                    hint: "call a function by name, e.g. len(stdout)")
            default:
                return expr
            }
        }
    }

    mutating func parsePrimary() throws(Diagnostic) -> Expr {
        let token = current
        let range = token.offset..<token.endOffset
        switch token.kind {
        case .number(let n): advance(); return try node(.literal(.number(n)), range)
        case .string(let s): advance(); return try node(.literal(.string(s)), range)
        case .keywordTrue: advance(); return try node(.literal(.bool(true)), range)
        case .keywordFalse: advance(); return try node(.literal(.bool(false)), range)
        case .keywordNull: advance(); return try node(.literal(.null), range)
        case .leftParen: return try parseParenthesized()
        case .leftBracket: return try parseList()
        case .identifier(let name): return try parseName(name)
        case .end:
            throw error(
                "the expression ends too early: expected a value", at: token.offset,
                hint: "an operator needs a value on both sides")
        default:
            throw error(
                "expected a value, found \(token.display)", at: token.offset,
                hint: "a value is a literal, a name like params.NAME, a function call or ( ... )")
        }
    }

    private mutating func parseParenthesized() throws(Diagnostic) -> Expr {
        let open = advance()
        var inner = try parseBinary(minPrecedence: 1)
        let close = try expect(
            .rightParen, "')'", hint: "the '(' at column \(source.location(atOffset: open.offset).column) is not closed"
        )
        inner.range = open.offset..<close.endOffset
        return inner
    }

    private mutating func parseList() throws(Diagnostic) -> Expr {
        let open = advance()
        let items = try parseArguments(closing: .rightBracket, "']'")
        return try node(.list(items), open.offset..<tokens[position - 1].endOffset)
    }

    /// Comma-separated expressions up to the closing token, which is consumed; a trailing comma is allowed.
    private mutating func parseArguments(closing: Token.Kind, _ spelling: String) throws(Diagnostic) -> [Expr] {
        var items: [Expr] = []
        while current.kind != closing {
            items.append(try parseBinary(minPrecedence: 1))
            guard current.kind == .comma else { break }
            advance()
        }
        try expect(closing, "',' or \(spelling)", hint: "separate items with commas and close with \(spelling)")
        return items
    }

    private mutating func parseName(_ text: String) throws(Diagnostic) -> Expr {
        let token = advance()
        let name = Expr.Name(text, at: token.offset)
        if current.kind == .leftParen {
            advance()
            let args = try parseArguments(closing: .rightParen, "')'")
            return try node(.call(name, args), token.offset..<tokens[position - 1].endOffset)
        }
        let reference: Reference
        switch text {
        case "params": reference = .param(try memberName(after: "'params'", what: "a param name"))
        case "env": reference = .env(try memberName(after: "'env'", what: "an environment variable name"))
        case "steps": reference = try parseStepReference()
        case "outputs": reference = .ownOutput(try memberName(after: "'outputs'", what: "an output name"))
        default:
            if Reference.loopNames.contains(text) {
                reference = .loop(name)
                break
            }
            guard Reference.ownFields.contains(text) else {
                return try node(.identifier(text), token.offset..<token.endOffset)
            }
            reference = .own(name)
        }
        return try node(.reference(reference), token.offset..<tokens[position - 1].endOffset)
    }

    /// `steps.ID.FIELD` or `steps.ID.outputs.NAME`.
    private mutating func parseStepReference() throws(Diagnostic) -> Reference {
        let step = try memberName(after: "'steps'", what: "a step id")
        let field = try memberName(
            after: "'steps.\(step.text)'",
            what: "a field (\(Reference.stepFields.joined(separator: ", ")) or outputs.NAME)")
        guard field.text == "outputs" else { return .stepField(step: step, field: field) }
        let output = try memberName(after: "'steps.\(step.text).outputs'", what: "an output name")
        return .stepOutput(step: step, output: output)
    }

    /// Reads `.NAME` (or just `NAME` when the dot was already consumed).
    ///
    /// The message parts are built only for an error: this runs for every name of every expression.
    private mutating func memberName(
        dotRead: Bool = false, after: @autoclosure () -> String, what: @autoclosure () -> String = "a name"
    ) throws(Diagnostic) -> Expr.Name {
        if !dotRead, current.kind != .dot {
            let after = after()
            try expect(.dot, "'.' after \(after)", hint: "write \(after.dropFirst().dropLast()).NAME")
        }
        if !dotRead { advance() }
        let token = current
        let text: String
        switch token.kind {
        case .identifier(let name): text = name
        // Keywords are fine as member names, e.g. json(stdout).null.
        case .keywordTrue: text = "true"
        case .keywordFalse: text = "false"
        case .keywordNull: text = "null"
        case .keywordIn: text = "in"
        default:
            throw error(
                "expected \(what()) after \(after()), found \(token.display)", at: token.offset,
                hint: "names are letters, digits and _, e.g. params.service or steps.check.stdout")
        }
        advance()
        return Expr.Name(text, at: token.offset)
    }
}
