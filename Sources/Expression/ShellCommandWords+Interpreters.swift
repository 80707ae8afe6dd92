import RunbookBasics

/// Programs whose argument is a program in another language (awk, sed, perl, python, SQL
/// clients): a value inside that argument is parsed by that language, not passed as data.
enum Interpreter {
    /// The language that parses the word at `index`, if it is the program text of `program`.
    static func program(_ program: String, words: [String], start: Int, index: Int) -> String? {
        let previous = words[index - 1]
        func option(_ letter: Character) -> Bool { ShellCommandWords.isOption(previous, letter) }
        switch Language.byName[baseName(program)] {
        case .awk, .gawk, .mawk, .nawk, .busyboxAwk:
            if previous == "-e" || previous == "--source" { return "awk" }
            if words[(start + 1)..<index].contains("-f") { return nil }
            return isFirstOperand(words, start, index, ["-F", "-v", "-f", "-e", "-i", "-l", "-E"]) ? "awk" : nil
        case .sed, .gsed:
            if previous == "-e" || previous == "--expression" { return "sed" }
            if words[(start + 1)..<index].contains(where: { $0 == "-e" || $0 == "-f" }) { return nil }
            return isFirstOperand(words, start, index, ["-e", "-f", "-l"]) ? "sed" : nil
        case .perl: return option("e") || option("E") ? "perl" : nil
        case .python, .python2, .python3: return option("c") ? "python" : nil
        case .ruby: return option("e") ? "ruby" : nil
        case .node, .nodejs: return previous == "-e" || previous == "--eval" || previous == "-p" ? "node" : nil
        case .php: return previous == "-r" ? "php" : nil
        case .psql: return previous == "-c" || previous == "--command" ? "SQL (psql)" : nil
        case .mysql, .mariadb: return previous == "-e" || previous == "--execute" ? "SQL (mysql)" : nil
        case .sqlite3:
            // sqlite3 [options] DATABASE SQL: the operand after the database is SQL.
            guard let database = ShellCommandWords.firstOperand(words, after: start, optionsWithValue: ["-cmd"]) else {
                return nil
            }
            return index > database ? "SQL (sqlite3)" : nil
        case nil: return nil
        }
    }

    /// The programs `program(_:words:start:index:)` knows, by the name before its first dot.
    private enum Language: String, CaseIterable {
        case awk, gawk, mawk, nawk, busyboxAwk = "busybox-awk", sed, gsed, perl, python, python2, python3, ruby
        case node, nodejs, php, psql, mysql, mariadb, sqlite3

        static let byName = WordMap(allCases.map { ($0.rawValue, $0) })
    }

    /// The name before its first dot (`python3.11` → `python3`), read as bytes: this runs for every template.
    private static func baseName(_ program: String) -> String {
        guard let dot = program.withUTF8Bytes({ $0.firstIndex(of: UInt8(ascii: ".")) }) else { return program }
        if dot > 0 { return String(decoding: program.utf8.prefix(dot), as: UTF8.self) }
        return program.split(separator: ".").first.map(String.init) ?? program
    }

    private static func isFirstOperand(_ words: [String], _ start: Int, _ index: Int, _ options: Set<String>) -> Bool {
        ShellCommandWords.firstOperand(words, after: start, optionsWithValue: options) == index
    }
}
