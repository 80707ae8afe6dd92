import RunbookDiagnostics

extension Template {
    /// For a shell command: an error at each template whose context cannot carry a value of its
    /// static type (`types`, one per expression), and a warning at each one whose value a
    /// program parses as shell code again unless it is always a plain word. `raw()` is exempt:
    /// it is the explicit opt-out, warned about on its own.
    ///
    /// Whether a value is a plain word (`checker.isPlainWord`) is asked only where a program
    /// parses it again. The findings are added to `diagnostics`, and the checker is handed in
    /// rather than asked through a closure, which had it and the template copied at every call.
    func addShellDiagnostics(types: [ValueType], checker: ExpressionChecker, to diagnostics: inout [Diagnostic]) {
        guard mode == .shell else { return }
        // The parts walked in place, the n-th substitution counted as it comes; a location is
        // worked out only for a finding.
        var n = -1
        for k in parts.indices {
            guard case .expression(let expression, let offset) = parts[k] else { continue }
            n += 1
            let (slot, type) = (shellSlots[n], types[n])
            guard !expression.isRawCall else { continue }
            // Where only a number may stand, a value of unknown type (a step's output) must be converted with int(…).
            if let problem = slot.problem(for: type) {
                diagnostics.append(.error(problem.message, at: source.location(atOffset: offset), hint: problem.remedy))
                continue
            }
            guard let program = slot.reparsedBy, type != .number,
                !(slot.reparsedAsShell && checker.isPlainWord(expression, type: type))
            else {
                continue
            }
            diagnostics.append(
                Self.reparseWarning(program, shell: slot.reparsedAsShell, at: source.location(atOffset: offset)))
        }
    }

    /// The warning for a value that `program` (`sh -c`, `eval`, `ssh`, `awk`, …) parses as code.
    static func reparseWarning(_ program: String, shell: Bool, at location: SourceLocation) -> Diagnostic {
        guard shell else {
            return .warning(
                "\(program) reads this value as part of its program: a crafted value can run code", at: location,
                hint:
                    "pass the value through env: and read it from the environment in the program (ENVIRON[\"NAME\"] in awk, os.environ in python, $ENV{NAME} in perl, a bound parameter in SQL)"
            )
        }
        let hint: String
        switch program {
        case "eval": hint = "avoid eval: write the command out, and let {{ }} pass the value"
        case "ssh":
            hint =
                "ssh joins its arguments into one command line for the remote shell, and a value starting with - is an option: give the value a pattern: or choices: that admits no shell syntax"
        default:
            if program.hasSuffix(" -c") {
                hint =
                    "pass the value as an argument after the script, e.g. \(program) 'echo \"$1\"' sh {{ … }}, or give it a pattern: or choices: that admits no shell syntax"
            } else {
                hint = "give the value a pattern: or choices: that admits no shell syntax"
            }
        }
        return .warning(
            "\(program) parses this value as shell code again: a value containing shell syntax would run", at: location,
            hint: hint)
    }
}
