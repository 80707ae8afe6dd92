import RunbookBasics

/// What a simple command does with its arguments, beyond the shell that runs the step.
///
/// Passing a value through the environment keeps it from becoming syntax for the shell that
/// runs the step, but some programs parse an argument as code again (`sh -c`, `eval`, `ssh`,
/// `trap`, `awk`, `python -c`, …), evaluate it as arithmetic (`let`, `declare -i`), or take
/// it as a variable name that bash evaluates (`read NAME`, `printf -v NAME`). The same rules
/// apply to the words of a string command and to the items of an argv list.
package enum ShellCommandWords {
    enum Effect: Equatable {
        case none
        case arithmetic
        /// bash takes the value as a variable name, and evaluates `a[$(cmd)]` in it.
        case name
        /// A program parses the value as code: shell code when `shell`, else its own language.
        case code(String, shell: Bool)
    }

    static let shells: WordSet = ["sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "yash", "posh"]

    /// Commands that run the command named after their own options (and operands).
    private static let wrappers: WordMap<(optionsWithValue: Set<String>, operands: Int)> = [
        "sudo": (["-u", "-g", "-p", "-C", "-D", "-h", "-r", "-t", "-U", "-T"], 0),
        "doas": (["-u", "-C"], 0),
        "env": (["-u", "-C", "-S"], 0),
        "exec": (["-a"], 0),
        "command": ([], 0),
        "builtin": ([], 0),
        "nohup": ([], 0),
        "nice": (["-n"], 0),
        "setsid": ([], 0),
        "time": ([], 0),
        "timeout": (["-s", "-k"], 1),
        "stdbuf": (["-i", "-o", "-e"], 0),
        "ionice": (["-c", "-n", "-p"], 0),
        "chroot": ([], 1),
        "xargs": (["-I", "-n", "-P", "-L", "-s", "-d", "-E", "-a"], 0),
    ]

    /// The effect on the word at `index` of the command whose words are `words` (up to and including it).
    static func effect(of words: [String], at index: Int) -> Effect {
        guard let start = commandStart(words), start < index else { return .none }
        let program = name(words[start])
        let known = Known.byName[program]
        if let known, let effect = builtinEffect(known, program, before: words[(start + 1)..<index], word: words[index])
        {
            return effect
        }
        if let effect = programEffect(known, program, words: words, start: start, index: index) { return effect }
        // A shell anywhere in the command line: sudo sh -c, docker exec c bash -c, xargs sh -c.
        for j in start..<index where isShell(name(words[j])) {
            if commandString(of: words, shellAt: j) == index { return .code("\(name(words[j])) -c", shell: true) }
        }
        return .none
    }

    /// bash variables that evaluate what is assigned to them as arithmetic.
    static let arithmeticVariables: WordSet = ["OPTIND", "RANDOM", "SRANDOM", "HISTCMD", "SECONDS", "LINENO"]
    /// Variables whose value the shell (or a program it starts) runs as code or loads code from.
    package static let codeVariables: WordSet = [
        "PS0", "PS1", "PS2", "PS3", "PS4", "PROMPT_COMMAND", "BASH_ENV", "ENV", "SHELLOPTS", "BASHOPTS",
        "LD_PRELOAD", "LD_AUDIT", "LD_LIBRARY_PATH", "GCONV_PATH", "PATH", "PAGER", "MANPAGER", "SYSTEMD_PAGER",
        "GIT_PAGER", "EDITOR", "VISUAL", "LESSOPEN", "LESSCLOSE", "GIT_SSH_COMMAND", "GIT_EXTERNAL_DIFF",
        "GIT_PROXY_COMMAND", "GIT_CONFIG_PARAMETERS", "RSYNC_RSH", "SSH_ASKPASS", "SUDO_ASKPASS", "PERL5OPT",
        "PERL5LIB", "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "NODE_OPTIONS", "RUBYOPT", "JAVA_TOOL_OPTIONS",
        "TAR_OPTIONS",
    ]

    /// An assignment word `NAME=…` (alone, or an argument of `export`, `declare`, `local`,
    /// `readonly`) to a variable that evaluates or runs its value.
    private static let declaring: WordSet = ["export", "declare", "typeset", "local", "readonly"]

    static func assignmentEffect(_ word: String, words: [String]) -> Effect {
        // Most words assign nothing: the `=` is looked for first.
        guard word.utf8.contains(UInt8(ascii: "=")) else { return .none }
        let start = commandStart(words)
        guard start == nil || declaring.contains(name(words[start!])) || name(words[start!]) == "alias" else {
            return .none
        }
        guard let eq = word.firstIndex(of: "=") else { return .none }
        var variable = String(word[..<eq])
        if variable.hasSuffix("+") { variable.removeLast() }
        if let start, name(words[start]) == "alias" { return .code("alias", shell: true) }
        if arithmeticVariables.contains(variable) { return .arithmetic }
        if codeVariables.contains(variable) { return .code(variable, shell: true) }
        return .none
    }

    /// A file operand that a program runs as code: `source <(…)`, `. <(…)`, `bash <(…)`.
    static func fileAsCodeEffect(_ words: [String]) -> Effect {
        guard let start = commandStart(words) else { return .none }
        let program = name(words[start])
        if program == "." || program == "source" { return .code(program, shell: true) }
        if isShell(program), commandString(of: words, shellAt: start) == nil { return .code(program, shell: true) }
        return .none
    }

    /// `sh`, `bash`, and versioned names such as `ksh93` or `bash5`.
    package static func isShell(_ program: String) -> Bool {
        // An ASCII name is decided by its bytes, in one pass: every shell's name ends in "sh"
        // before its version, so most words need no lookup (this runs for every word before a template).
        // From the end: past a version's digits and dots, the name must end in "sh" (every
        // shell's name is letters only, so whatever else stands there is no shell).
        let verdict: Bool? = program.withUTF8Bytes { bytes in
            guard String.isASCII(bytes) else { return nil }
            var end = bytes.count
            while end > 0, bytes[end - 1] == UInt8(ascii: ".") || (0x30...0x39).contains(bytes[end - 1]) { end -= 1 }
            guard end >= 2, bytes[end - 2] == UInt8(ascii: "s"), bytes[end - 1] == UInt8(ascii: "h") else {
                return false
            }
            return shells.contains(end == bytes.count ? program : String(decoding: bytes[..<end], as: UTF8.self))
        }
        return verdict ?? isShellByCharacter(program)
    }

    private static func isShellByCharacter(_ program: String) -> Bool {
        if shells.contains(program) { return true }
        guard let last = program.last, last.isNumber || last == "." else { return false }
        return shells.contains(String(program.reversed().drop { $0.isNumber || $0 == "." }.reversed()))
    }

    /// The programs `builtinEffect` and `programEffect` know, found by their bytes and one
    /// lookup rather than a comparison with every name (this runs for every template).
    private enum Known: String, CaseIterable {
        case eval, alias, compgen, complete, tmux, trap, `let`, declare, typeset, local, readonly, export, unset
        case read, printf, mapfile, readarray, test, bracket = "[", getopts
        case ssh, su, runuser, flock, script, watch

        static let byName = WordMap(allCases.map { ($0.rawValue, $0) })
    }

    /// Builtins that evaluate an argument as arithmetic, a variable name or shell code.
    private static func builtinEffect(_ known: Known, _ program: String, before: ArraySlice<String>, word: String)
        -> Effect?
    {
        let previous = before.last
        switch known {
        case .eval: return .code("eval", shell: true)
        case .alias: return .code("alias", shell: true)
        case .compgen, .complete:
            return previous == "-W" || previous == "-C" || previous == "-F"
                ? .code("\(program) \(previous!)", shell: true) : nil
        case .tmux: return .code("tmux", shell: true)
        case .trap: return before.allSatisfy({ $0.hasPrefix("-") }) ? .code("trap", shell: true) : nil
        case .let: return .arithmetic
        case .declare, .typeset, .local, .readonly, .export:
            // A quoted compound assignment ("arr=( … )") is parsed by bash a second time.
            if word.contains("=(") { return .code(program, shell: true) }
            let name = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            if !word.contains("=") || name.contains(ShellScanner.placeholder.description) { return .name }
            let options = before.filter { $0.hasPrefix("-") && !$0.hasPrefix("--") }
            if options.contains(where: { $0.contains("n") }) { return .name }
            if options.contains(where: { $0.contains("i") }) { return .arithmetic }
        case .unset: return .name
        case .read: return previous == "-p" || previous == "-d" || previous == "-t" ? nil : .name
        case .printf: return previous == "-v" || word.hasPrefix("-v") ? .name : nil
        case .mapfile, .readarray: return previous == "-C" ? .code("\(program) -C", shell: true) : .name
        case .test, .bracket: return previous == "-v" ? .name : nil
        case .getopts: return before.filter({ !$0.hasPrefix("-") }).count == 1 ? .name : nil
        case .ssh, .su, .runuser, .flock, .script, .watch: break
        }
        return nil
    }

    /// Programs that take an argument as code of their own (or hand it to a shell).
    private static func programEffect(
        _ known: Known?, _ program: String, words: [String], start: Int, index: Int
    ) -> Effect? {
        let previous = words[index - 1]
        switch known {
        case .ssh:
            return .code("ssh", shell: true)  // the host and options too: -oProxyCommand=… runs a command
        case .su, .runuser, .flock, .script:
            if isOption(previous, "c") || previous == "--command" || words[index].hasPrefix("--command=") {
                return .code("\(program) -c", shell: true)
            }
        case .watch:
            if let first = firstOperand(words, after: start, optionsWithValue: ["-n", "--interval"]), first <= index {
                return .code("watch", shell: true)
            }
        default:
            if let language = Interpreter.program(program, words: words, start: start, index: index) {
                return .code(language, shell: false)
            }
        }
        return nil
    }

    /// The program that runs this command's standard input as code (`sh`, `bash -s`, `ssh host`,
    /// `. /dev/stdin`, `xargs sh -c`), if any.
    static func stdinReader(_ words: [String]) -> String? {
        guard let start = commandStart(words) else { return nil }
        let program = name(words[start])
        // xargs turns its input into arguments of the command it runs: a shell script's `{}` is code.
        if words[..<start].contains(where: { name($0) == "xargs" }), isShell(program) {
            return "xargs … \(program) -c"
        }
        if isShell(program), commandString(of: words, shellAt: start) == nil { return program }
        if program == "ssh", let host = firstOperand(words, after: start, optionsWithValue: sshOptionsWithValue),
            host == words.count - 1
        {
            return "ssh"
        }
        if program == "." || program == "source" { return program }
        return nil
    }

    private static let sshOptionsWithValue: Set<String> = [
        "-B", "-b", "-c", "-D", "-E", "-e", "-F", "-I", "-i", "-J", "-L", "-l", "-m", "-O", "-o", "-p", "-Q", "-R",
        "-S", "-W", "-w",
    ]

    /// The index of the command's name, after assignments and wrappers such as `sudo -u app`.
    package static func commandStart(_ words: [String]) -> Int? {
        var k = 0
        while k < words.count {
            if isAssignment(words[k]) {
                k += 1
                continue
            }
            let wrapperName = name(words[k])
            guard let wrapper = wrappers[wrapperName] else { return k }
            k += 1
            while k < words.count, words[k].hasPrefix("-"), words[k] != "-" {
                let option = words[k]
                k += 1
                if option == "--" { break }
                if wrapper.optionsWithValue.contains(option) { k += 1 }
            }
            if wrapperName == "env" { while k < words.count, isAssignment(words[k]) { k += 1 } }
            k += wrapper.operands
        }
        return nil
    }

    /// The index of the command string of the shell at `j` when it is given `-c`.
    static func commandString(of words: [String], shellAt j: Int) -> Int? {
        var k = j + 1
        var sawC = false
        while k < words.count, let first = words[k].first, first == "-" || first == "+" {
            let option = words[k]
            k += 1
            if option == "--" { break }
            if option == "-o" || option == "+o" {
                k += 1
            } else if first == "-", !option.hasPrefix("--"), option.contains("c") {
                sawC = true
            }
        }
        return sawC ? k : nil
    }

    /// The index of the first word after `start` that is not an option or an option's value.
    static func firstOperand(_ words: [String], after start: Int, optionsWithValue: Set<String>) -> Int? {
        var k = start + 1
        while k < words.count, words[k].hasPrefix("-"), words[k] != "-" {
            let option = words[k]
            k += 1
            if option == "--" { break }
            if optionsWithValue.contains(option) { k += 1 }
        }
        return k < words.count ? k : nil
    }

    /// True for `-x`, or a cluster of short options ending in it (`-qc`, `-ne`), whose value follows.
    static func isOption(_ word: String, _ letter: Character) -> Bool {
        word.hasPrefix("-") && !word.hasPrefix("--") && word.count >= 2 && word.last == letter
    }

    /// The program name of a word: `/usr/bin/ssh` → `ssh`.
    package static func name(_ word: String) -> String {
        // Most words have no slash: the word itself, without making a new string.
        word.withUTF8Bytes { !$0.contains(UInt8(ascii: "/")) } ? word : String(word.afterLastSlash)
    }

    static func isAssignment(_ word: String) -> Bool {
        // Names are ASCII in almost every word: decide those byte by byte, the rest by Character.
        let byBytes: Bool? = word.withUTF8Bytes { bytes in
            var sawName = false
            var plus = false
            for byte in bytes {
                if byte >= 0x80 { return nil }
                if byte == UInt8(ascii: "=") { return sawName }
                if plus { return false }
                switch byte {
                case UInt8(ascii: "_"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                    sawName = true
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    guard sawName else { return false }
                case UInt8(ascii: "+"):
                    guard sawName else { return false }
                    plus = true
                default: return false
                }
            }
            return false
        }
        return byBytes ?? isAssignmentByCharacter(word)
    }

    private static func isAssignmentByCharacter(_ word: String) -> Bool {
        guard let eq = word.firstIndex(of: "="), eq != word.startIndex else { return false }
        var name = word[..<eq]
        if name.last == "+" { name = name.dropLast() }
        return name.first.map { $0 == "_" || $0.isLetter } == true
            && name.allSatisfy { $0 == "_" || $0.isLetter || $0.isNumber }
    }
}
