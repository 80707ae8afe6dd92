import FoundationEssentials

extension Evaluator {
    func call(_ name: Expr.Name, _ args: [Expr], node: Expr) throws(EvaluationError) -> Evaluated {
        guard let function = BuiltinFunction(rawValue: name.text) else {
            throw fail(.unknownName, "unknown function '\(name.text)'", at: name.offset)
        }
        guard args.count == function.arity else {
            throw fail(
                .typeMismatch, "\(function.rawValue)() takes \(function.arity) argument(s), got \(args.count)",
                at: name.offset, hint: "write \(function.signature)")
        }
        if function == .default { return try fallback(args) }
        var values: [Evaluated] = []
        for arg in args { values.append(try evaluate(arg)) }
        for (i, (arg, value)) in zip(args, values).enumerated() where !function.parameters[i].contains(value.value.type)
        {
            throw argumentError(function, value.value, at: arg.range.lowerBound)
        }
        let secret = values.contains { $0.isSecret }
        let result = try apply(function, values.map(\.value), args: args)
        return Evaluated(result, isSecret: secret)
    }

    /// `default(x, fallback)`: the fallback when x is null or is a member, index or value that is missing.
    private func fallback(_ args: [Expr]) throws(EvaluationError) -> Evaluated {
        do {
            let first = try evaluate(args[0])
            if first.value != .null { return first }
        } catch  where [.missingMember, .indexOutOfRange, .nullValue].contains(error.kind) {
            // A missing piece is exactly what default() is for; other errors are mistakes and still surface.
        }
        return try evaluate(args[1])
    }

    private func argumentError(_ function: BuiltinFunction, _ value: Value, at offset: Int) -> EvaluationError {
        if value == .null {
            return fail(
                .nullValue, "\(function.rawValue)() got null", at: offset,
                hint: "the value is missing; use default(x, fallback)")
        }
        return fail(
            .typeMismatch, "\(function.rawValue)() cannot take \(value.type.withArticle) (\(value.preview))",
            at: offset, hint: "write \(function.signature)")
    }

    private func apply(_ function: BuiltinFunction, _ v: [Value], args: [Expr]) throws(EvaluationError) -> Value {
        switch (function, v[0], v.count > 1 ? v[1] : .null) {
        case (.contains, .string(let s), .string(let sub)): return .bool(s.contains(sub))
        case (.contains, .list(let items), let needle): return .bool(items.contains(needle))
        case (.contains, .object(let members), .string(let key)): return .bool(members[key] != nil)
        case (.startsWith, .string(let s), .string(let p)): return .bool(s.hasPrefix(p))
        case (.endsWith, .string(let s), .string(let p)): return .bool(s.hasSuffix(p))
        case (.matches, .string(let s), .string(let re)): return .bool(try firstMatch(s, re, args: args) != nil)
        case (.match, .string(let s), .string(let re)):
            return try firstMatch(s, re, args: args).map(Value.string) ?? .null
        case (.number, let x, _): return .number(try number(x, at: args[0].range.lowerBound))
        case (.int, let x, _): return .number(try number(x, at: args[0].range.lowerBound).rounded(.towardZero))
        case (.string, let x, _): return .string(x.text)
        case (.json, .string(let s), _): return try json(s, at: args[0].range.lowerBound)
        case (.lines, .string(let s), _): return .list(Self.lines(s).map(Value.string))
        case (.trim, .string(let s), _): return .string(s.trimmingWhitespace)
        case (.len, .string(let s), _): return .number(Double(s.count))
        case (.len, .list(let items), _): return .number(Double(items.count))
        case (.len, .object(let members), _): return .number(Double(members.count))
        case (.lower, .string(let s), _): return .string(s.lowercased())
        case (.upper, .string(let s), _): return .string(s.uppercased())
        case (.raw, let x, _): return x
        default:
            let offset = args[min(1, args.count - 1)].range.lowerBound
            throw fail(
                .typeMismatch,
                "\(function.rawValue)() cannot take \(v.map(\.type.withArticle).joined(separator: " and "))",
                at: offset, hint: "write \(function.signature)")
        }
    }

    /// The first capture group of the first match, or the whole match when there is no group; nil when nothing matches.
    private func firstMatch(_ s: String, _ pattern: String, args: [Expr]) throws(EvaluationError) -> String? {
        switch RegexCompiler.compile(pattern) {
        case .success(let regex): return regex.firstCapture(in: s).map(String.init)
        case .failure(let problem): throw fail(.regex, problem.message, at: args[1].range.lowerBound)
        }
    }

    /// Reads a number the way command output prints one: surrounding whitespace is ignored, nothing else is.
    private func number(_ x: Value, at offset: Int) throws(EvaluationError) -> Double {
        switch x {
        case .number(let n): return n
        case .bool(let b): return b ? 1 : 0
        case .string(let s):
            let trimmed = s.trimmingWhitespace
            guard Self.isDecimal(trimmed), let n = Double(trimmed), n.isFinite else {
                throw fail(
                    .conversion, "cannot convert \(x.preview) to a number", at: offset,
                    hint: "the text must be a decimal number like 42 or -81.5; extract it with match(s, re)")
            }
            return n
        default:
            throw argumentError(.number, x, at: offset)
        }
    }

    /// Accepts `-12`, `+3.5`, `.5`, `1e3`; refuses hex, `inf`, `nan` and the like that `Double.init` would take.
    static func isDecimal(_ s: String) -> Bool {
        var bytes = s.utf8[...]
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        let whole = bytes.prefix(while: isDigit).count
        bytes = bytes.dropFirst(whole)
        var fraction = 0
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            fraction = bytes.prefix(while: isDigit).count
            bytes = bytes.dropFirst(fraction)
        }
        guard whole + fraction > 0 else { return false }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                bytes = bytes.dropFirst()
            }
            let exponent = bytes.prefix(while: isDigit).count
            guard exponent > 0 else { return false }
            bytes = bytes.dropFirst(exponent)
        }
        return bytes.isEmpty
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private func json(_ s: String, at offset: Int) throws(EvaluationError) -> Value {
        switch Value.parseJSON(s) {
        case .success(let value): return value
        case .failure(let failure):
            throw fail(
                .json, "json() could not parse \(Value.string(s).preview): \(failure.reason)", at: offset,
                hint: "check that the command prints JSON (e.g. curl -fsS, kubectl -o json)")
        }
    }

    /// Lines without their terminators; a final newline does not make an extra empty line.
    static func lines(_ s: String) -> [String] {
        // Split on scalars: in Swift "\r\n" is one Character, which a Character split would not break.
        var parts = s.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            String(scalars: line.last == "\r" ? line.dropLast() : line[...])
        }
        if parts.last == "" { parts.removeLast() }
        return parts
    }
}
