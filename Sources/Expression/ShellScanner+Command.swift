import RunbookBasics

/// Reading command lists: words, operators, substitutions, and what each slot's command does.
extension ShellScanner {
    /// Reserved words that can stand before a command without being its name.
    private static let keywords: WordSet = [
        "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "for", "!", "}", "case", "function",
        "coproc", "select",
    ]
    /// Comparisons that make bash's `[[ … ]]` evaluate both sides as arithmetic.
    private static let arithmeticTests: WordSet = ["-eq", "-ne", "-lt", "-le", "-gt", "-ge"]
    private static let declaringWords: WordSet = ["declare", "typeset", "local"]

    /// The words that `endWord` does more with than add them to the command's words: every word
    /// it tests by its text belongs here, since the plain-command path (`plainSlots`) takes a
    /// command only when none of its words is one of these.
    private static let specialWords = WordSet(
        keywords.words.union(declaringWords.words).union(["esac", "{", "[[", "]]"]))

    /// A word that `endWord` does more with than add it to the command's words.
    static func isSpecialWord(_ word: String) -> Bool { specialWords.contains(word) }

    mutating func scanCommand() {
        let k = frames.count - 1
        guard let c = char(at: i) else {
            appendToWord(Self.placeholder)
            takeSlot(isInBackticks ? .backticks : .unquoted)
            return
        }
        // The frame's fields are read in place: copying the whole frame per character was most
        // of the scan's time.
        guard case .command(let current) = frames[k] else { return }
        switch c {
        case " ", "\t":
            i += 1
            endWord(k)
        case "\n":
            i += 1
            endWord(k)
            endCommand(k, separator: "\n")
            if !pendingHeredocs.isEmpty {
                push(.heredoc(pendingHeredocs.removeFirst()))
                atLineStart = true
            }
        case "&" where char(at: i + 1) == ">":
            // bash's &> and &>> redirect both streams.
            i += 1
            redirect(k)
        case ";", "&", "|":
            i += 1
            var separator = String(c)
            if char(at: i) == c || (c == "|" && char(at: i) == "&") {
                separator = c == "|" && char(at: i) == "&" ? "|" : separator + String(c)
                i += 1
            }
            endWord(k)
            endCommand(k, separator: separator)
        case "(":
            let wordBefore = commands[current].word
            let opensArray = wordBefore?.hasSuffix("=") == true
            let wordsBefore = commands[current].words
            endWord(k)
            if wordBefore == nil, ShellCommandWords.commandStart(wordsBefore) == nil, char(at: i + 1) == "(" {
                i += 2
                push(.arithmetic(depth: 0, bracket: false))
            } else {
                i += 1
                withCommand(k) { frame in
                    frame.parenDepth += 1
                    // name=( … ): an array literal, whose [subscript]=value elements bash evaluates.
                    if opensArray { frame.arrayLiteralDepth = frame.parenDepth }
                }
                endCommand(k, separator: "(")
            }
        case ")":
            i += 1
            endWord(k)
            // endWord may have closed a case (esac), so look at the frame again.
            let frame = (parenDepth: commands[current].parenDepth, caseDepth: commands[current].caseDepth)
            if frame.parenDepth > 0 {
                withCommand(k) { frame in
                    if frame.arrayLiteralDepth == frame.parenDepth { frame.arrayLiteralDepth = nil }
                    frame.parenDepth -= 1
                }
            } else if frame.caseDepth == 0, commands[current].closer == .paren {
                endCommand(k, separator: nil)
                finishTest(k)
                pop()
                return
            }
            endCommand(k, separator: ")")
        case "`":
            i += 1
            if commands[current].closer == .backtick {
                endWord(k)
                endCommand(k, separator: nil)
                finishTest(k)
                pop()
            } else {
                openWord()
                pushCommand(.backtick)
            }
        case "'":
            i += 1
            openWord()
            push(.singleQuoted)
        case "\"":
            i += 1
            openWord()
            push(.doubleQuoted)
        case "\\":
            i += 1
            openWord()
            escapeNext(alwaysKept: true)
        case "$":
            dollar(quoted: false)
        case "#" where commands[current].word == nil:
            i += 1
            push(.comment)
        case "<" where char(at: i + 1) == "(", ">" where char(at: i + 1) == "(":
            // Process substitution: a command whose output (or input) is a file argument.
            i += 2
            openWord()
            withCommand(k) { $0.wordIsProcessSubstitution = true }
            pushCommand(.paren)
        case "<" where char(at: i + 1) == "<":
            dropDescriptorNumber(k)
            endWord(k)
            if char(at: i + 2) == "<" {
                i += 3
                withCommand(k) { $0.hereStringTarget = true }
            } else {
                i += 2
                readHeredocDelimiter()
            }
        case "<", ">":
            redirect(k)
        default:
            // A run of ordinary characters joins the word at once.
            var end = i + 1
            while end < pieces.count, case .char(let next) = pieces[end], !Self.endsOrdinaryRun(next) { end += 1 }
            // Written as UTF-8 at once: appending scalar by scalar grew the word once per character.
            let run = text(i..<end)
            if commands[current].word == nil { commands[current].word = run } else { commands[current].word! += run }
            i = end
        }
    }

    /// Characters `scanCommand` treats as more than part of a word.
    private static func endsOrdinaryRun(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case " ", "\t", "\n", "&", ";", "|", "(", ")", "`", "'", "\"", "\\", "$", "#", "<", ">": return true
        default: return false
        }
    }

    /// A redirection operator (`>`, `>>`, `2>&1`, `<`, `<>`, `>|`, `&>`) at `i`: its target is a
    /// file, not a word of the command.
    mutating func redirect(_ k: Int) {
        dropDescriptorNumber(k)
        endWord(k)
        i += 1
        while let c = char(at: i), ">&|".unicodeScalars.contains(c) { i += 1 }
        withCommand(k) { $0.redirectTarget = true }
    }

    /// `2>`: a word of digits right before a redirection is its descriptor, not an argument.
    private mutating func dropDescriptorNumber(_ k: Int) {
        withCommand(k) { frame in
            if let word = frame.word, !word.isEmpty, word.allSatisfy(\.isNumber) { frame.word = nil }
        }
    }

    /// After a backslash: a slot there is escaped; a character is taken literally.
    ///
    /// `alwaysKept` is true outside quotes, where every escaped character is part of the word.
    mutating func escapeNext(alwaysKept: Bool) {
        guard i < pieces.count else { return }
        if isSlot(at: i) {
            takeSlot(.escaped)
            return
        }
        if alwaysKept, let c = char(at: i), c != "\n" { appendToWord(c) }
        i += 1
    }

    /// `$` followed by `((`, `(`, `{`, `[`, a quote, a slot or anything else.
    mutating func dollar(quoted: Bool) {
        if isCommand(frames.count - 1) { openWord() }
        let next = char(at: i + 1)
        if next == "(", char(at: i + 2) == "(" {
            i += 3
            push(.arithmetic(depth: 0, bracket: false))
        } else if next == "(" {
            i += 2
            pushCommand(.paren)
        } else if next == "{" {
            i += 2
            push(.parameter(depth: 0))
        } else if next == "[" {
            i += 2
            push(.arithmetic(depth: 0, bracket: true))
        } else if isSlot(at: i + 1) {
            i += 1
            takeSlot(.afterDollar)
        } else if !quoted, next == "'" {
            i += 2
            push(.ansiQuoted)
        } else if !quoted, next == "\"" {
            i += 2
            push(.doubleQuoted)
        } else {
            i += 1
            appendToWord("$")
        }
    }

    /// Ends the word being read in frame `k`, noting keywords, `[[ … ]]` and `case`. A word tested
    /// here by its text must be in `specialWords`.
    mutating func endWord(_ k: Int) {
        var declares = (integers: declaresIntegers, namerefs: declaresNamerefs)
        defer { (declaresIntegers, declaresNamerefs) = declares }
        withCommand(k) { frame in
            guard let word = frame.word else { return }
            frame.word = nil
            frame.wordIsProcessSubstitution = false
            // A redirection's target and a here-string are not words of the command.
            if frame.redirectTarget || frame.hereStringTarget {
                frame.redirectTarget = false
                frame.hereStringTarget = false
                return
            }
            if frame.afterFunction {
                frame.afterFunction = false
                return  // the function's name
            }
            // `{` opens a group or a function body: what follows is a new command.
            if word.isWord("{") {
                frame.words = []
                return
            }
            if frame.words.isEmpty, Self.keywords.contains(word) || word.isWord("[[") {
                if word.isWord("[[") { frame.test = (false, []) }
                if word.isWord("case") { frame.caseDepth += 1 }
                frame.afterFor = word.isWord("for")
                frame.afterFunction = word.isWord("function")
                return
            }
            frame.afterFor = false
            if Self.declaringWords.contains(word), ShellCommandWords.commandStart(frame.words) == nil {
                frame.declaring = true
            }
            if frame.declaring, word.hasPrefix("-"), !word.hasPrefix("--") {
                if word.contains("i") { declares.integers = true }
                if word.contains("n") { declares.namerefs = true }
            }
            if frame.words.isEmpty, word.isWord("esac"), frame.caseDepth > 0 { frame.caseDepth -= 1 }
            if frame.test != nil, Self.arithmeticTests.contains(word) { frame.test?.arithmetic = true }
            frame.words.append(word)
        }
        if case .command(let c) = frames[k], commands[c].words.last?.isWord("]]") == true { finishTest(k) }
    }
}
