/// Reads the command lines of `runbook run` that on-call engineers type — a playbook, `-p`,
/// flags, options with a plain value — without the argument parser's first-use reflection,
/// which costs about a third of a one-step run (README, "Performance").
///
/// It accepts only what it recognises with certainty and answers nil for everything else
/// (help, `--`, an unknown or repeated option, a value that looks like an option, attached
/// short values): the argument parser then reads the line as always, with its errors and help.
/// Tests parse a corpus both ways and compare every property, and compare the option names
/// here with the parser's own (`QuickRunParserTests`).
enum QuickRunParser {
    /// Every option `run` takes, as the argument parser spells it: `(name, takes a value, may repeat)`.
    static let options: [(name: String, takesValue: Bool, repeats: Bool)] = [
        ("-p", true, true), ("--params-file", true, false), ("--choose", true, true), ("--audit-dir", true, false),
        ("--inventory", true, false), ("--limit", true, false), ("--dry-run", false, false), ("--probe", false, false),
        ("--yes", false, false), ("--step", false, false), ("--force", false, false), ("--no-wait", false, false),
        ("--json", false, false),
    ]

    /// The `run` command for `arguments` (without the program name), or nil when the argument
    /// parser must read them.
    static func parse(_ arguments: [String]) -> RunCommand? {
        guard arguments.first == "run" else { return nil }
        var playbook: String?
        // Values by the index of their option in `options` (a flag's value is "").
        var values = [[String]](repeating: [], count: options.count)
        var i = 1
        while i < arguments.count {
            let word = arguments[i]
            i += 1
            guard word.hasPrefix("-") else {
                guard playbook == nil else { return nil }
                playbook = word
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
                guard i < arguments.count, !arguments[i].hasPrefix("-") else { return nil }
                values[slot].append(arguments[i])
                i += 1
            }
        }
        guard let playbook else { return nil }
        func value(_ name: String) -> [String] { values[options.firstIndex { $0.name == name }!] }
        var command = RunCommand()
        command.playbook = playbook
        command.params = ParamOptions()
        command.params.assignments = value("-p")
        command.params.paramsFile = value("--params-file").first
        command.choose = value("--choose")
        command.audit = AuditOptions()
        command.audit.auditDir = value("--audit-dir").first
        command.targets = TargetOptions()
        command.targets.inventory = value("--inventory").first
        command.targets.limit = value("--limit").first
        command.dryRun = !value("--dry-run").isEmpty
        command.probe = !value("--probe").isEmpty
        command.yes = !value("--yes").isEmpty
        command.step = !value("--step").isEmpty
        command.force = !value("--force").isEmpty
        command.noWait = !value("--no-wait").isEmpty
        command.json = !value("--json").isEmpty
        return command
    }
}
