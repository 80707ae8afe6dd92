/// What a simple command does with its arguments, as far as shell parsing goes.
///
/// Passing a value through the environment keeps it from becoming syntax for the shell that
/// runs the step, but some programs hand an argument to a shell again (`sh -c`, `eval`,
/// `ssh`, `su -c`, `watch`) or evaluate it as arithmetic (`let`, `declare -i`). The same
/// rules apply to the words of a string command and to the items of an argv list.
enum ShellCommandWords {
    enum Effect: Equatable {
        case none
        case arithmetic
        /// The program that parses the argument as shell code, as written (`sh -c`).
        case reparsed(String)
    }

    static let shells: Set<String> = ["sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "yash", "posh"]

    /// Commands that run the command named after their own options (and operands).
    private static let wrappers: [String: (optionsWithValue: Set<String>, operands: Int)] = [
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

    private static let sshOptionsWithValue: Set<String> = [
        "-B", "-b", "-c", "-D", "-E", "-e", "-F", "-I", "-i", "-J", "-L", "-l", "-m", "-O", "-o", "-p", "-Q", "-R",
        "-S", "-W", "-w",
    ]

    /// The effect on the word at `index` of the command whose words are `words` (up to and including it).
    static func effect(of words: [String], at index: Int) -> Effect {
        guard let start = commandStart(words), start < index else { return .none }
        switch name(words[start]) {
        case "eval":
            return .reparsed("eval")
        case "let":
            return .arithmetic
        case "declare", "typeset", "local", "readonly", "export":
            let integer = words[(start + 1)..<index].contains {
                $0.hasPrefix("-") && !$0.hasPrefix("--") && $0.contains("i")
            }
            if integer { return .arithmetic }
        case "ssh":
            if let host = firstOperand(words, after: start, optionsWithValue: sshOptionsWithValue), host < index {
                return .reparsed("ssh")
            }
        case "watch":
            if let first = firstOperand(words, after: start, optionsWithValue: ["-n", "-d", "-g"]), first <= index {
                return .reparsed("watch")
            }
        case "su", "runuser":
            if words[index - 1] == "-c" || words[index - 1] == "--command" || words[index].hasPrefix("--command=") {
                return .reparsed("\(name(words[start])) -c")
            }
        default:
            break
        }
        // A shell anywhere in the command line: sudo sh -c, docker exec c bash -c, xargs sh -c.
        for j in start..<index where shells.contains(name(words[j])) {
            if commandString(of: words, shellAt: j) == index { return .reparsed("\(name(words[j])) -c") }
        }
        return .none
    }

    /// The program that runs this command's standard input as shell code (`sh`, `bash -s`, `ssh host`), if any.
    static func stdinReader(_ words: [String]) -> String? {
        guard let start = commandStart(words) else { return nil }
        let program = name(words[start])
        if shells.contains(program), commandString(of: words, shellAt: start) == nil { return program }
        if program == "ssh", let host = firstOperand(words, after: start, optionsWithValue: sshOptionsWithValue),
            host == words.count - 1
        {
            return "ssh"
        }
        return nil
    }

    /// The index of the command's name, after assignments and wrappers such as `sudo -u app`.
    static func commandStart(_ words: [String]) -> Int? {
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
    private static func commandString(of words: [String], shellAt j: Int) -> Int? {
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
    private static func firstOperand(_ words: [String], after start: Int, optionsWithValue: Set<String>) -> Int? {
        var k = start + 1
        while k < words.count, words[k].hasPrefix("-") {
            let option = words[k]
            k += 1
            if option == "--" { break }
            if optionsWithValue.contains(option) { k += 1 }
        }
        return k < words.count ? k : nil
    }

    /// The program name of a word: `/usr/bin/ssh` → `ssh`.
    static func name(_ word: String) -> String {
        word.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? word
    }

    private static func isAssignment(_ word: String) -> Bool {
        guard let eq = word.firstIndex(of: "="), eq != word.startIndex else { return false }
        let name = word[..<eq]
        return name.first.map { $0 == "_" || $0.isLetter } == true
            && name.allSatisfy { $0 == "_" || $0.isLetter || $0.isNumber }
    }
}
