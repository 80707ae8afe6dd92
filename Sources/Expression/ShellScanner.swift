import RunbookBasics

/// Finds the shell context of every template in a `run` command, without running a shell.
///
/// A POSIX sh lexer cut down to what decides how a value can reach the command: quotes,
/// backslashes, `$(…)`, `${…}`, `$((…))`, backticks, comments, heredocs, `[[ … ]]`, pipes
/// and the words of each simple command (for `sh -c`, `eval`, `ssh`, `let`, …). Templates
/// are opaque slots in the text, so the result depends only on what the author wrote.
struct ShellScanner {
    enum Piece: Equatable {
        case char(Unicode.Scalar)
        case slot(Int)
    }

    enum Frame {
        /// A command list; its state is `commands[index]`, changed in place there.
        case command(index: Int)
        case doubleQuoted
        case singleQuoted
        /// `$'…'`: like single quotes, but a backslash escapes the next character.
        case ansiQuoted
        case backticksInQuotes
        /// `$((…))` and `((…))` close at `))`, bash's `$[…]` at `]`.
        case arithmetic(depth: Int, bracket: Bool)
        case parameter(depth: Int)
        case heredoc(Heredoc)
        case comment
    }

    /// The state of one command list: the top level, a `$(…)` or a backtick substitution.
    struct CommandFrame {
        enum Closer { case end, paren, backtick }
        var closer: Closer
        var parenDepth = 0
        var caseDepth = 0
        /// The completed words of the current simple command.
        var words: [String] = []
        /// The word being read, if any.
        var word: String?
        /// Slots in the current simple command, and in the one before it when that ended in `|`.
        var slots: [Int] = []
        var pipedSlots: [Int] = []
        var pipedInto = false
        /// An open `[[ … ]]`: whether it compares arithmetically, and the slots inside it.
        var test: (arithmetic: Bool, slots: [Int])?
        /// The next word is the variable of a `for` loop.
        var afterFor = false
        /// The command is `declare`, `typeset` or `local`.
        var declaring = false
        /// The next word is a function's name (after `function`).
        var afterFunction = false
        /// The word being read is a redirection's target (a file) or a here-string (standard input).
        var redirectTarget = false
        var hereStringTarget = false
        /// The word being read is `<(…)` or `>(…)`.
        var wordIsProcessSubstitution = false
        /// The paren depth of an open array literal `name=( … )`.
        var arrayLiteralDepth: Int?

        init(closer: Closer) {
            self.closer = closer
            // Room for a command's usual words at once, rather than growing one word at a time.
            words.reserveCapacity(8)
        }

        /// A frame with no room reserved (`renew` brings the room of the one it replaces).
        private init(bare closer: Closer) {
            self.closer = closer
        }

        /// A new frame in place of this one, keeping only the room of its lists: every other
        /// field is a new frame's, so nothing of an earlier command is carried over.
        mutating func renew(closer: Closer) {
            var fresh = CommandFrame(bare: closer)
            swap(&fresh.words, &words)
            swap(&fresh.slots, &slots)
            swap(&fresh.pipedSlots, &pipedSlots)
            fresh.words.removeAll(keepingCapacity: true)
            fresh.slots.removeAll(keepingCapacity: true)
            fresh.pipedSlots.removeAll(keepingCapacity: true)
            self = fresh
        }
    }

    /// The lists a scan works in, kept from one scan to the next by whoever scans many commands
    /// (a part of a check: `ParsedExpressions`), so that each scan starts in room made before
    /// instead of allocating its lists and freeing them.
    struct Scratch {
        var pieces: [Piece] = []
        var frames: [Frame] = []
        var commands: [CommandFrame] = []
    }

    /// A heredoc whose body has not been read yet, or is being read.
    struct Heredoc {
        var delimiter: String
        var stripTabs: Bool
        var quoted: Bool
        /// The program that runs the body as code (`sh <<EOF`, `ssh host <<EOF`).
        var reparsedBy: String?
    }

    static let placeholder: Unicode.Scalar = "\u{FFFC}"
    /// A template alone as a word.
    static let placeholderWord = String(placeholder)

    let pieces: [Piece]
    var i = 0
    var frames: [Frame]
    /// The state of each open command list, innermost last (one per `.command` frame).
    var commands: [CommandFrame]
    var pendingHeredocs: [Heredoc] = []
    var atLineStart = false
    var slots: [ShellSlot]
    /// Set when the command declares integer variables (`declare -i`): bash then evaluates
    /// every later assignment to them as arithmetic, which no scan can follow, so every
    /// template of the command must give a number.
    var declaresIntegers = false
    /// Set when the command declares namerefs (`declare -n`): a value assigned to one is a
    /// variable name that bash evaluates, which no scan can follow either.
    var declaresNamerefs = false

    /// Offsets that sit where a backslash-newline is literal (quotes, comments, quoted heredocs);
    /// empty when the text has no backslash-newline.
    var literal: [Bool]

    /// The context of each expression part of `parts`, in order: a plain command's from its
    /// words (`plainSlots`), any other's from a full scan.
    static func slots(of parts: [Template.Part]) -> [ShellSlot] {
        var scratch = Scratch()
        return slots(of: parts, reusing: &scratch)
    }

    /// `slots(of:)`, working in the lists of `scratch` and leaving them there for the next scan.
    static func slots(of parts: [Template.Part], reusing scratch: inout Scratch) -> [ShellSlot] {
        plainSlots(of: parts, reusing: &scratch) ?? scannedSlots(of: parts, reusing: &scratch)
    }

    /// The slots found by a full scan, whatever the command (tests and fuzzing compare the
    /// plain-command path with it).
    static func scannedSlots(of parts: [Template.Part]) -> [ShellSlot] {
        var scratch = Scratch()
        return scannedSlots(of: parts, reusing: &scratch)
    }

    /// A shell removes backslash-newline before it reads a line (`$\⏎((` is `$((`), except
    /// inside single quotes, comments and quoted heredocs; a first scan finds those, and the
    /// text is scanned again with the other continuations joined.
    private static func scannedSlots(of parts: [Template.Part], reusing scratch: inout Scratch) -> [ShellSlot] {
        var pieces: [Piece] = []
        swap(&pieces, &scratch.pieces)
        pieces.removeAll(keepingCapacity: true)
        // The parts are read in place (a loop over them copied each, its expression's tree too).
        var room = 0
        for k in parts.indices {
            if case .text(let text) = parts[k] { room += text.utf8.count } else { room += 1 }
        }
        pieces.reserveCapacity(room)
        var count = 0
        for k in parts.indices {
            switch parts[k] {
            case .text(let text): for c in text.unicodeScalars { pieces.append(.char(c)) }
            case .expression:
                pieces.append(.slot(count))
                count += 1
            }
        }
        // Only a text with a backslash-newline needs the second scan, and the offsets it keeps.
        let continues = pieces.indices.dropLast().contains {
            pieces[$0] == .char("\\") && pieces[$0 + 1] == .char("\n")
        }
        var first = ShellScanner(pieces, slots: count, keepsLiteral: continues, reusing: &scratch)
        first.scan()
        defer { first.handBack(to: &scratch) }
        guard continues else { return first.slots }
        var joined: [Piece] = []
        var k = 0
        while k < pieces.count {
            if pieces[k] == .char("\\"), k + 1 < pieces.count, pieces[k + 1] == .char("\n"), !first.literal[k] {
                k += 2
                continue
            }
            joined.append(pieces[k])
            k += 1
        }
        guard joined.count != pieces.count else { return first.slots }
        var second = ShellScanner(joined, slots: count, keepsLiteral: false)
        second.scan()
        return second.slots
    }

    /// A scanner of `pieces`, its frames made in the room of `scratch`'s.
    private init(_ pieces: [Piece], slots count: Int, keepsLiteral: Bool, reusing scratch: inout Scratch) {
        var frames: [Frame] = []
        var commands: [CommandFrame] = []
        swap(&frames, &scratch.frames)
        swap(&commands, &scratch.commands)
        frames.removeAll(keepingCapacity: true)
        frames.append(.command(index: 0))
        if commands.isEmpty {
            commands.append(CommandFrame(closer: .end))
        } else {
            commands.removeSubrange(1...)
            commands[0].renew(closer: .end)
        }
        self.init(pieces, slots: count, keepsLiteral: keepsLiteral, frames: frames, commands: commands)
    }

    /// Leaves this scan's lists in `scratch` for the next.
    private func handBack(to scratch: inout Scratch) {
        scratch.pieces = pieces
        scratch.frames = frames
        scratch.commands = commands
    }

    private init(
        _ pieces: [Piece], slots count: Int, keepsLiteral: Bool,
        frames: [Frame] = [.command(index: 0)], commands: [CommandFrame] = [CommandFrame(closer: .end)]
    ) {
        self.pieces = pieces
        self.frames = frames
        self.commands = commands
        // Appended into reserved room: `Array(repeating:count:)` took a generic path of some 600
        // instructions, more than scanning a short command's first word.
        var slots: [ShellSlot] = []
        slots.reserveCapacity(count)
        for _ in 0..<count { slots.append(ShellSlot(context: .unquoted)) }
        self.slots = slots
        self.literal = keepsLiteral ? Array(repeating: false, count: pieces.count) : []
    }

    private mutating func scan() {
        while i < pieces.count {
            if !literal.isEmpty {
                switch frames[frames.count - 1] {
                case .singleQuoted, .ansiQuoted, .comment: literal[i] = true
                case .heredoc(let doc): literal[i] = doc.quoted
                default: break
                }
            }
            switch frames[frames.count - 1] {
            case .command: scanCommand()
            case .doubleQuoted: scanDoubleQuoted()
            case .singleQuoted: scanSingleQuoted(escapes: false)
            case .ansiQuoted: scanSingleQuoted(escapes: true)
            case .backticksInQuotes: scanBackticksInQuotes()
            case .arithmetic(let depth, let bracket): scanArithmetic(depth: depth, bracket: bracket)
            case .parameter(let depth): scanParameter(depth: depth)
            case .heredoc(let doc): scanHeredoc(doc)
            case .comment: scanComment()
            }
        }
        for k in frames.indices.reversed() where isCommand(k) {
            endWord(k)
            endCommand(k, separator: nil)
            finishTest(k)
        }
        if declaresIntegers {
            for n in slots.indices { slots[n].evaluatedAsArithmetic = true }
        }
        if declaresNamerefs {
            for n in slots.indices { slots[n].usedAsName = true }
        }
    }

    // MARK: pieces

    func char(at offset: Int) -> Unicode.Scalar? {
        guard offset < pieces.count, case .char(let c) = pieces[offset] else { return nil }
        return c
    }

    /// The characters of `pieces[range]` as one string, encoded in a single pass (slots skipped).
    ///
    /// A plain loop over the pieces: a lazy `compactMap` chain handed to `String(scalars:)`
    /// was not specialised, and building a word's text that way was a fifth of the scan.
    func text(_ range: Range<Int>) -> String {
        pieces.withUnsafeBufferPointer { pieces in
            var count = 0
            for k in range {
                if case .char(let c) = pieces[k] { count += UTF8.width(c) }
            }
            return String(unsafeUninitializedCapacity: count) { buffer in
                var writer = UTF8Writer(buffer)
                for k in range {
                    if case .char(let c) = pieces[k] { writer.append(c) }
                }
                return writer.count
            }
        }
    }

    func isSlot(at offset: Int) -> Bool {
        guard offset < pieces.count, case .slot = pieces[offset] else { return false }
        return true
    }

    /// Consumes the slot at `i` in `context`.
    mutating func takeSlot(_ context: ShellContext) {
        guard case .slot(let n) = pieces[i] else { return }
        i += 1
        record(n, context)
    }

    // MARK: frames

    func isCommand(_ k: Int) -> Bool {
        if case .command = frames[k] { return true }
        return false
    }

    /// The innermost command frame.
    var commandIndex: Int { frames.indices.last(where: isCommand) ?? 0 }

    mutating func withCommand(_ k: Int, _ body: (inout CommandFrame) -> Void) {
        guard case .command(let c) = frames[k] else { return }
        body(&commands[c])
    }

    /// The command list of frame `k`, if it is one.
    func command(_ k: Int) -> CommandFrame? {
        guard case .command(let c) = frames[k] else { return nil }
        return commands[c]
    }

    mutating func push(_ frame: Frame) { frames.append(frame) }

    mutating func pushCommand(_ closer: CommandFrame.Closer) {
        commands.append(CommandFrame(closer: closer))
        frames.append(.command(index: commands.count - 1))
    }

    mutating func pop() {
        guard frames.count > 1 else { return }
        if case .command = frames.removeLast() { commands.removeLast() }
    }

    /// Adds to the current word of the innermost command, when only quotes stand between them.
    mutating func appendToWord(_ c: Unicode.Scalar) {
        let k = commandIndex
        let onlyQuotes = frames[(k + 1)...].allSatisfy { frame in
            switch frame {
            case .doubleQuoted, .singleQuoted, .ansiQuoted: return true
            default: return false
            }
        }
        guard onlyQuotes else { return }
        withCommand(k) { frame in
            if frame.word == nil { frame.word = "" }
            frame.word!.unicodeScalars.append(c)
        }
    }

    /// Starts a word in the innermost command if none is open (a quote or `$` begins one).
    mutating func openWord() {
        withCommand(commandIndex) { if $0.word == nil { $0.word = "" } }
    }
}
