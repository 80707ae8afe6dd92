import FoundationEssentials
import RunbookDiagnostics
import RunbookPlaybook

/// Resolves a playbook's params from defaults, environment, a params file and `-p` (SPEC §1.5).
///
/// Every problem is collected, so the operator sees all of them in one error before
/// anything runs; required params without a value are returned separately so a
/// terminal can ask for them.
package struct ParamResolver: Sendable {
    package let params: [Param]

    package init(params: [Param]) {
        self.params = params
    }

    /// A value as given, before typing, and where it was given; `items` when it was given as a
    /// list (a sequence in a params file, `-p` repeated for a list param).
    typealias RawValue = (text: String, items: [String]?, location: SourceLocation)

    package struct Outcome: Sendable {
        package var resolved: ResolvedParams
        /// Required params that got no value from any source.
        package var missing: [Param]
        package var diagnostics: [Diagnostic]
    }

    package func resolve(_ inputs: ParamInputs) -> Outcome {
        var diagnostics: [Diagnostic] = []
        var raw: [String: RawValue] = [:]
        for param in params {
            if let name = param.env, let value = inputs.environment[name] {
                raw[param.name] = (value, nil, .file("$\(name)"))
            }
        }
        if let file = inputs.paramsFile {
            for (name, value) in readParamsFile(file, diagnostics: &diagnostics) { raw[name] = value }
        }
        // `-p` for a list param adds items (`-p pods=a -p pods=b`); for any other param the last one wins.
        var listed: [String: [String]] = [:]
        for assignment in inputs.assignments {
            guard let eq = assignment.firstIndex(of: "="), eq != assignment.startIndex else {
                diagnostics.append(
                    .error(
                        "'-p \(assignment)' is not NAME=VALUE", at: ParamInputs.commandLine,
                        hint: "write -p service=api"))
                continue
            }
            let name = String(assignment[..<eq])
            guard known(name, at: ParamInputs.commandLine, diagnostics: &diagnostics) else { continue }
            let text = String(assignment[assignment.index(after: eq)...])
            if params.first(where: { $0.name == name })?.kind == .list {
                listed[name, default: []] += ParamValue.listItems(text)
                let items = listed[name]!
                raw[name] = (ParamValue.list(items).description, items, ParamInputs.commandLine)
            } else {
                raw[name] = (text, nil, ParamInputs.commandLine)
            }
        }
        return finish(raw, diagnostics: diagnostics)
    }

    /// Applies values given interactively for missing params, checked like any other.
    package func supply(_ answers: [String: String], to outcome: Outcome) -> Outcome {
        var next = outcome
        next.missing = []
        for param in outcome.missing {
            guard let text = answers[param.name] else {
                next.missing.append(param)
                continue
            }
            let given: RawValue = (text, nil, ParamInputs.commandLine)
            if let value = check(param, given, diagnostics: &next.diagnostics) {
                next.resolved.values[param.name] = value
            }
        }
        return next
    }

    private func finish(
        _ raw: [String: RawValue], diagnostics: [Diagnostic]
    ) -> Outcome {
        var diagnostics = diagnostics
        var values: [String: ParamValue?] = [:]
        var missing: [Param] = []
        for param in params {
            if let given = raw[param.name] {
                values[param.name] = check(param, given, diagnostics: &diagnostics)
            } else if let value = param.defaultValue {
                values[param.name] = value
            } else {
                values[param.name] = .some(nil)
                if param.required { missing.append(param) }
            }
        }
        let secrets = Set(params.filter(\.secret).map(\.name))
        return Outcome(
            resolved: ResolvedParams(values: values, secretNames: secrets), missing: missing, diagnostics: diagnostics)
    }

    private func check(_ param: Param, _ given: RawValue, diagnostics: inout [Diagnostic]) -> ParamValue? {
        let (text, location) = (given.text, given.location)
        let shown = param.secret ? "***" : text
        let before = diagnostics.count
        // The source line of a secret's value would show it; in a playbook with secrets no line of
        // a params file is quoted, since a secret may sit under the wrong name.
        let quotes = !param.secret && !params.contains(where: \.secret)
        defer { if !quotes { for i in before..<diagnostics.count { diagnostics[i].quotesSource = false } } }
        if text.unicodeScalars.contains("\0") {
            diagnostics.append(
                .error(
                    "param '\(param.name)' contains a NUL character, which no command can receive", at: location,
                    hint: "remove it from the value"))
            return nil
        }
        if given.items != nil, param.kind != .list {
            diagnostics.append(
                .error(
                    "param '\(param.name)' is \(param.kind.article) \(param.kind.rawValue), not a list", at: location,
                    hint: "give it one value"))
            return nil
        }
        let parsed = given.items.map { ParamValue.list($0) } ?? ParamValue(parsing: text, as: param.kind)
        guard let value = parsed else {
            diagnostics.append(
                .error(
                    "param '\(param.name)' must be \(param.kind.article) \(param.kind.rawValue) (got '\(shown)')",
                    at: location, hint: param.kind.example))
            return nil
        }
        if let problem = param.problem(with: value) {
            diagnostics.append(.error("param '\(param.name)' \(problem)", at: location))
            return nil
        }
        return value
    }

    private func known(_ name: String, at location: SourceLocation, diagnostics: inout [Diagnostic]) -> Bool {
        guard params.contains(where: { $0.name == name }) else {
            let names = params.map(\.name)
            diagnostics.append(
                .error(
                    "unknown param '\(name)'", at: location,
                    hint: Suggestion.hint(for: name, in: names)
                        ?? "this playbook's params: \(names.isEmpty ? "none" : names.joined(separator: ", "))"))
            return false
        }
        return true
    }

    private func readParamsFile(_ path: String, diagnostics: inout [Diagnostic])
        -> [String: RawValue]
    {
        let file = ParamsFile(path: path)
        // A line of the file may hold a secret's value: when the playbook has secrets, no line is quoted.
        let quotesSource = !params.contains(where: \.secret)
        let before = diagnostics.count
        defer {
            for index in before..<diagnostics.count { diagnostics[index].quotesSource = quotesSource }
        }
        diagnostics += file.diagnostics
        var out: [String: RawValue] = [:]
        for entry in file.entries where known(entry.name, at: entry.nameLocation, diagnostics: &diagnostics) {
            out[entry.name] = (entry.text, entry.items, entry.location)
        }
        return out
    }
}
