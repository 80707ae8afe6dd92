/// Programs whose argument is a program in another language (awk, sed, perl, python, SQL
/// clients): a value inside that argument is parsed by that language, not passed as data.
enum Interpreter {
    /// The language that parses the word at `index`, if it is the program text of `program`.
    static func program(_ program: String, words: [String], start: Int, index: Int) -> String? {
        let previous = words[index - 1]
        func option(_ letter: Character) -> Bool { ShellCommandWords.isOption(previous, letter) }
        let base = baseName(program)
        switch base {
        case "awk", "gawk", "mawk", "nawk", "busybox-awk":
            if previous == "-e" || previous == "--source" { return "awk" }
            if words[(start + 1)..<index].contains("-f") { return nil }
            return isFirstOperand(words, start, index, ["-F", "-v", "-f", "-e", "-i", "-l", "-E"]) ? "awk" : nil
        case "sed", "gsed":
            if previous == "-e" || previous == "--expression" { return "sed" }
            if words[(start + 1)..<index].contains(where: { $0 == "-e" || $0 == "-f" }) { return nil }
            return isFirstOperand(words, start, index, ["-e", "-f", "-l"]) ? "sed" : nil
        case "perl": return option("e") || option("E") ? "perl" : nil
        case "python", "python2", "python3": return option("c") ? "python" : nil
        case "ruby": return option("e") ? "ruby" : nil
        case "node", "nodejs": return previous == "-e" || previous == "--eval" || previous == "-p" ? "node" : nil
        case "php": return previous == "-r" ? "php" : nil
        case "psql": return previous == "-c" || previous == "--command" ? "SQL (psql)" : nil
        case "mysql", "mariadb": return previous == "-e" || previous == "--execute" ? "SQL (mysql)" : nil
        case "sqlite3":
            // sqlite3 [options] DATABASE SQL: the operand after the database is SQL.
            guard let database = ShellCommandWords.firstOperand(words, after: start, optionsWithValue: ["-cmd"]) else {
                return nil
            }
            return index > database ? "SQL (sqlite3)" : nil
        default: return nil
        }
    }

    /// The name before its first dot (`python3.11` → `python3`), read as bytes: this runs for every template.
    private static func baseName(_ program: String) -> String {
        guard let dot = program.utf8.firstIndex(of: UInt8(ascii: ".")) else { return program }
        if dot != program.startIndex { return String(program[..<dot]) }
        return program.split(separator: ".").first.map(String.init) ?? program
    }

    private static func isFirstOperand(_ words: [String], _ start: Int, _ index: Int, _ options: Set<String>) -> Bool {
        ShellCommandWords.firstOperand(words, after: start, optionsWithValue: options) == index
    }
}
