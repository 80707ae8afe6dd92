/// Reading inside quotes, expansions, comments and heredoc bodies.
extension ShellScanner {
    mutating func scanDoubleQuoted() {
        guard let c = char(at: i) else {
            appendToWord(Self.placeholder)
            takeSlot(.doubleQuoted)
            return
        }
        switch c {
        case "\"":
            i += 1
            pop()
        case "\\":
            i += 1
            escapeNext(alwaysKept: false)
        case "$":
            dollar(quoted: true)
        case "`":
            i += 1
            push(.backticksInQuotes)
        default:
            i += 1
            appendToWord(c)
        }
    }

    /// `'…'`, or with `escapes` bash's `$'…'`, where a backslash escapes the next character.
    mutating func scanSingleQuoted(escapes: Bool) {
        guard let c = char(at: i) else {
            appendToWord(Self.placeholder)
            takeSlot(.singleQuoted)
            return
        }
        i += 1
        if c == "'" {
            pop()
        } else if escapes, c == "\\" {
            if isSlot(at: i) { takeSlot(.singleQuoted) } else { i += 1 }
        } else {
            appendToWord(c)
        }
    }

    mutating func scanBackticksInQuotes() {
        guard let c = char(at: i) else { return takeSlot(.backticksInQuotes) }
        i += 1
        if c == "\\" {
            if isSlot(at: i) { takeSlot(.backticksInQuotes) } else { i += 1 }
        } else if c == "`" {
            pop()
        }
    }

    mutating func scanArithmetic(depth: Int, bracket: Bool) {
        guard let c = char(at: i) else { return takeSlot(.arithmetic) }
        switch c {
        case "$":
            dollar(quoted: true)
        case "(" where !bracket:
            i += 1
            frames[frames.count - 1] = .arithmetic(depth: depth + 1, bracket: bracket)
        case ")" where !bracket:
            i += 1
            if depth > 0 {
                frames[frames.count - 1] = .arithmetic(depth: depth - 1, bracket: bracket)
            } else {
                if char(at: i) == ")" { i += 1 }
                pop()
            }
        case "]" where bracket:
            i += 1
            pop()
        default:
            i += 1
        }
    }

    mutating func scanParameter(depth: Int) {
        guard let c = char(at: i) else { return takeSlot(.parameterExpansion) }
        let outsideQuotes = frames.count >= 2 && isCommand(frames.count - 2)
        switch c {
        case "{":
            i += 1
            frames[frames.count - 1] = .parameter(depth: depth + 1)
        case "}":
            i += 1
            if depth > 0 { frames[frames.count - 1] = .parameter(depth: depth - 1) } else { pop() }
        case "\\":
            i += 1
            escapeNext(alwaysKept: false)
        case "$":
            dollar(quoted: true)
        case "\"":
            i += 1
            push(.doubleQuoted)
        case "'" where outsideQuotes:
            i += 1
            push(.singleQuoted)
        case "`":
            i += 1
            push(.backticksInQuotes)
        default:
            i += 1
        }
    }

    mutating func scanComment() {
        guard let c = char(at: i) else { return takeSlot(.comment) }
        if c == "\n" { pop() } else { i += 1 }
    }

    /// After `<<` or `<<-`: the delimiter word, which decides whether the body expands.
    mutating func readHeredocDelimiter() {
        var doc = Heredoc(delimiter: "", stripTabs: false, quoted: false)
        if char(at: i) == "-" {
            doc.stripTabs = true
            i += 1
        }
        while char(at: i) == " " || char(at: i) == "\t" { i += 1 }
        var quote: Unicode.Scalar?
        while i < pieces.count {
            guard let c = char(at: i) else {
                takeSlot(.heredocDelimiter)
                continue
            }
            if let q = quote {
                i += 1
                if c == q { quote = nil } else { doc.delimiter.unicodeScalars.append(c) }
                continue
            }
            if " \t\n;&|<>()".unicodeScalars.contains(c) { break }
            i += 1
            switch c {
            case "'", "\"":
                doc.quoted = true
                quote = c
            case "\\":
                doc.quoted = true
                if let next = char(at: i) {
                    doc.delimiter.unicodeScalars.append(next)
                    i += 1
                }
            default:
                doc.delimiter.unicodeScalars.append(c)
            }
        }
        if let frame = command(commandIndex) {
            doc.reparsedBy = ShellCommandWords.stdinReader(frame.words)
        }
        pendingHeredocs.append(doc)
    }

    mutating func scanHeredoc(_ doc: Heredoc) {
        if atLineStart, let end = delimiterLineEnd(doc) {
            i = end
            pop()
            if !pendingHeredocs.isEmpty {
                push(.heredoc(pendingHeredocs.removeFirst()))
                atLineStart = true
            }
            return
        }
        atLineStart = false
        guard let c = char(at: i) else {
            guard case .slot(let n) = pieces[i] else { return }
            i += 1
            record(n, doc.quoted ? .quotedHeredoc : .heredoc, heredoc: doc)
            slots[n].heredocDelimiter = doc.delimiter
            slots[n].heredocStripsTabs = doc.stripTabs
            return
        }
        i += 1
        if c == "\n" {
            atLineStart = true
            return
        }
        guard !doc.quoted else { return }
        switch c {
        case "\\":
            if isSlot(at: i) {
                guard case .slot(let n) = pieces[i] else { return }
                i += 1
                record(n, .escaped, heredoc: doc)
            } else if let next = char(at: i), "$`\\\n".unicodeScalars.contains(next) {
                i += 1
            }
        case "$":
            i -= 1
            dollar(quoted: true)
        case "`":
            push(.backticksInQuotes)
        default:
            break
        }
    }

    /// The offset after the line starting at `i` when that line ends the heredoc.
    private func delimiterLineEnd(_ doc: Heredoc) -> Int? {
        var line = String.UnicodeScalarView()
        var k = i
        while k < pieces.count {
            guard let c = char(at: k) else { return nil }
            if c == "\n" { break }
            line.append(c)
            k += 1
        }
        var text = String(line)
        if doc.stripTabs { text = String(text.drop { $0 == "\t" }) }
        // Inside $( … ), bash also ends the body at a line "EOF)", the ) closing the substitution.
        let insideSubstitution = frames.contains { frame in
            if case .command(let c) = frame { return commands[c].closer == .paren }
            return false
        }
        if insideSubstitution, text == doc.delimiter + ")" { return k - 1 }
        guard text == doc.delimiter else { return nil }
        return k < pieces.count ? k + 1 : k
    }
}
