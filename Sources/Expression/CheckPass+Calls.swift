import FoundationEssentials

extension CheckPass {
    /// The result type of a call, reporting unknown functions, arity, argument types and bad regexes.
    mutating func callType(_ name: Expr.Name, _ args: [Expr], node: Expr) -> ValueType {
        let argTypes = args.map { type(of: $0) }
        guard let function = BuiltinFunction(rawValue: name.text) else {
            let names = BuiltinFunction.allCases.map(\.rawValue)
            report(
                "unknown function '\(name.text)'", at: name.offset,
                hint: NameSuggestion.closest(to: name.text, in: names).map { "did you mean '\($0)'?" }
                    ?? "functions: \(names.joined(separator: ", "))")
            return .any
        }
        if function == .raw, let mode = rawMode { warnAboutRaw(name, mode: mode) }
        guard args.count == function.arity else {
            let noun = function.arity == 1 ? "argument" : "arguments"
            report(
                "\(function.rawValue)() takes \(function.arity) \(noun), got \(args.count)", at: name.offset,
                hint: "write \(function.signature)")
            return function.resultType(argTypes)
        }
        for (i, (arg, type)) in zip(args, argTypes).enumerated() where type.isKnown {
            if !function.parameters[i].contains(type) {
                report(
                    "\(function.rawValue)() cannot take \(type.withArticle) as argument \(i + 1)",
                    at: arg.range.lowerBound, hint: argumentHint(function, type))
            }
        }
        if let index = function.regexArgument, case .literal(.string(let pattern)) = args[index].kind {
            checkRegex(pattern, at: args[index].range.lowerBound)
        }
        return function.resultType(argTypes)
    }

    private func argumentHint(_ function: BuiltinFunction, _ type: ValueType) -> String {
        let accepted = ValueType.allConcrete.filter { function.parameters.joined().contains($0) }
        if type == .number, function.parameters.allSatisfy({ $0 == [.string] }) {
            return "convert with string(...) first; \(function.signature) works on text"
        }
        return "\(function.signature) works on \(accepted.map(\.rawValue).joined(separator: ", "))"
    }

    private mutating func checkRegex(_ pattern: String, at offset: Int) {
        if let reason = RegexCompiler.problem(with: pattern) {
            report(
                "invalid regular expression: \(reason)", at: offset,
                hint:
                    "the pattern uses ICU/PCRE syntax without lookbehind; escape a literal backslash as \\\\ inside quotes"
            )
        }
    }

    private mutating func warnAboutRaw(_ name: Expr.Name, mode: QuotingMode) {
        switch mode {
        case .shell:
            report(
                "raw() inserts text verbatim into the shell command; a value containing shell syntax will run as code",
                at: name.offset,
                hint: "drop raw() so the value is passed safely, unless it must expand to several words or operators",
                severity: .warning)
        case .plain:
            report(
                "raw() has no effect here: only shell commands treat substituted values specially", at: name.offset,
                hint: "drop raw()", severity: .warning)
        }
    }
}
