import ArgumentParser

/// Reads the command lines of `runbook run` and `runbook validate` that people type — a
/// playbook (or targets), flags, options with a plain value — without the argument parser's
/// first-use reflection, which costs about a third of a one-step run and of validating a small
/// file (README, "Performance").
///
/// It accepts only what it recognises with certainty and answers nil for everything else
/// (help, `--`, an unknown or repeated option, a value that looks like an option, attached
/// short values): the argument parser then reads the line as always, with its errors and help.
/// Tests parse a corpus both ways and compare every property, and compare the option names
/// here with the parser's own (`QuickRunParserTests`).
enum QuickRunParser {
    /// An option as the argument parser spells it: whether it takes a value, and may repeat.
    typealias Option = (name: String, takesValue: Bool, repeats: Bool)

    /// Every option `run` takes.
    static let options: [Option] = [
        ("-p", true, true), ("--params-file", true, false), ("--choose", true, true), ("--audit-dir", true, false),
        ("--inventory", true, false), ("--limit", true, false), ("--dry-run", false, false), ("--probe", false, false),
        ("--yes", false, false), ("--step", false, false), ("--force", false, false), ("--no-wait", false, false),
        ("--json", false, false),
    ]

    /// Every option `validate` takes.
    static let validateOptions: [Option] = [("--alert-rules", true, true), ("--json", false, false)]

    /// The command for `arguments` (without the program name) when it is a line of `run` or
    /// `validate` read with certainty, or nil when the argument parser must read them.
    static func command(_ arguments: [String]) -> (any QuickCommand)? {
        switch arguments.first {
        case "run": parse(arguments)
        case "validate": parseValidate(arguments)
        default: nil
        }
    }

    /// The `run` request for `arguments` (without the program name), or nil.
    static func parse(_ arguments: [String]) -> RunRequest? {
        guard arguments.first == "run", let line = Line(arguments.dropFirst(), options: options),
            line.positionals.count == 1
        else { return nil }
        return RunRequest(
            playbook: line.positionals[0], assignments: line["-p"], paramsFile: line["--params-file"].first,
            dryRun: line.has("--dry-run"), probe: line.has("--probe"), yes: line.has("--yes"), step: line.has("--step"),
            force: line.has("--force"), choose: line["--choose"], auditDir: line["--audit-dir"].first,
            inventory: line["--inventory"].first, limit: line["--limit"].first, noWait: line.has("--no-wait"),
            json: line.has("--json"))
    }

    /// The `validate` request for `arguments` (without the program name), or nil.
    static func parseValidate(_ arguments: [String]) -> ValidateRequest? {
        guard arguments.first == "validate", let line = Line(arguments.dropFirst(), options: validateOptions) else {
            return nil
        }
        return ValidateRequest(targets: line.positionals, alertRules: line["--alert-rules"], json: line.has("--json"))
    }

    /// The words of a line: its positional words in order, and each option's values (a flag's
    /// value is ""). Nil for any word it does not recognise with certainty.
    struct Line {
        let options: [Option]
        var positionals: [String] = []
        /// Values by the index of their option in `options`.
        var values: [[String]]

        init?(_ words: ArraySlice<String>, options: [Option]) {
            self.options = options
            values = [[String]](repeating: [], count: options.count)
            var i = words.startIndex
            while i < words.endIndex {
                let word = words[i]
                i += 1
                guard word.hasPrefix("-") else {
                    positionals.append(word)
                    continue
                }
                var name = Substring(word)
                var attached: String?
                if word.hasPrefix("--"), let equals = word.firstIndex(of: "=") {
                    name = word[..<equals]
                    attached = String(word[word.index(after: equals)...])
                }
                guard let slot = options.firstIndex(where: { $0.name == name }) else { return nil }
                guard options[slot].repeats || values[slot].isEmpty else { return nil }
                if !options[slot].takesValue {
                    guard attached == nil else { return nil }
                    values[slot].append("")
                } else if let attached {
                    values[slot].append(attached)
                } else {
                    guard i < words.endIndex, !words[i].hasPrefix("-") else { return nil }
                    values[slot].append(words[i])
                    i += 1
                }
            }
        }

        subscript(name: String) -> [String] { values[options.firstIndex { $0.name == name }!] }

        func has(_ name: String) -> Bool { !self[name].isEmpty }
    }
}

/// A command read by `QuickRunParser`: checked, then run, as a `ParsableCommand` is.
protocol QuickCommand {
    func validate() throws
    func run() throws
}
