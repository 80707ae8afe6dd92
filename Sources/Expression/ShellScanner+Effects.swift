/// What each template's commands do with it: pipes into shells, `[[ … ]]` tests, array
/// subscripts, and the effects of the command words around it (see `ShellCommandWords`).
extension ShellScanner {
    /// Ends a simple command. A command that reads its standard input as code (`| sh`) marks
    /// the slots of the command piped into it, and the heredocs still to be read, as re-parsed.
    mutating func endCommand(_ k: Int, separator: String?) {
        // Changed in place: a copy of the frame, written back, cost more than the rest.
        guard case .command(let c) = frames[k] else { return }
        if commands[c].pipedInto, let reader = ShellCommandWords.stdinReader(commands[c].words) {
            for n in commands[c].pipedSlots where slots[n].reparsedBy == nil { slots[n].reparsedBy = reader }
            for h in pendingHeredocs.indices where pendingHeredocs[h].reparsedBy == nil {
                pendingHeredocs[h].reparsedBy = reader
            }
        }
        // `… | (sh)`: the subshell is still the command the pipe feeds.
        if separator == "(", commands[c].words.isEmpty, commands[c].pipedInto { return }
        let piped = separator == "|"
        // Every command earlier in the pipeline feeds the next: `echo X | tee f | sh`.
        if !piped || !commands[c].pipedInto { commands[c].pipedSlots.removeAll() }
        if piped { commands[c].pipedSlots += commands[c].slots }
        commands[c].pipedInto = piped
        commands[c].slots.removeAll(keepingCapacity: true)
        commands[c].words.removeAll(keepingCapacity: true)
        commands[c].declaring = false
    }

    /// True for a word that so far reads `name[` or `[` with the bracket still open: an array
    /// subscript (`arr[i]=v`, `([i]=v)`), which bash evaluates as arithmetic.
    static func isOpenSubscript(_ word: String) -> Bool {
        guard let open = word.firstIndex(of: "["), !word[open...].contains("]") else { return false }
        let name = word[..<open]
        return name.allSatisfy { $0 == "_" || $0.isLetter || $0.isNumber } && name.first?.isNumber != true
    }

    /// Closes a `[[ … ]]`: when it compares arithmetically, every slot inside it is arithmetic.
    mutating func finishTest(_ k: Int) {
        guard case .command(let c) = frames[k], let test = commands[c].test else { return }
        if test.arithmetic {
            for n in test.slots { slots[n].evaluatedAsArithmetic = true }
        }
        withCommand(k) { $0.test = nil }
    }

    var isInBackticks: Bool {
        frames.contains { frame in
            if case .command(let c) = frame { return commands[c].closer == .backtick }
            return false
        }
    }

    /// Records slot `n` found in `context`, refined by the frames around it and its command's words.
    mutating func record(_ n: Int, _ context: ShellContext, heredoc: Heredoc? = nil) {
        var slot = ShellSlot(context: context, inBackticks: isInBackticks)
        let insideArithmetic = frames.contains { if case .arithmetic = $0 { return true } else { return false } }
        let insideParameter = frames.contains { if case .parameter = $0 { return true } else { return false } }
        if insideArithmetic, context.isSafe {
            slot.context = .arithmetic
        } else if insideParameter, context.isSafe {
            slot.context = .parameterExpansion
        }
        if let heredoc {
            slot.reparsedBy = heredoc.reparsedBy
        } else {
            // The innermost command the slot is a word of, then every command whose word holds
            // the substitution it sits in: what `let "n=$(… X)"` or `eval "$(… X)"` does with
            // that word, it does with the value too.
            for k in frames.indices.reversed() where isCommand(k) {
                withCommand(k) { frame in
                    Self.apply(&frame, to: &slot)
                    frame.slots.append(n)
                    frame.test?.slots.append(n)
                }
            }
        }
        slots[n] = slot
    }

    /// What the command in `frame` does with the word being read: evaluate it as arithmetic,
    /// take it as a variable name, or parse it as code.
    static func apply(_ frame: inout CommandFrame, to slot: inout ShellSlot) {
        // A file name or standard input: only a program reading its input as code matters.
        if frame.redirectTarget || frame.hereStringTarget {
            if let reader = ShellCommandWords.stdinReader(frame.words), slot.reparsedBy == nil {
                slot.reparsedBy = reader
            }
            return
        }
        let word = frame.word ?? placeholderWord
        // The command's words with the one being read, appended in place for the lookups and
        // taken off again: building a new list for every template was a visible part of the scan.
        frame.words.append(word)
        var effect = ShellCommandWords.effect(of: frame.words, at: frame.words.count - 1)
        frame.words.removeLast()
        if effect == .none { effect = ShellCommandWords.assignmentEffect(word, words: frame.words) }
        if effect == .none, frame.wordIsProcessSubstitution {
            effect = ShellCommandWords.fileAsCodeEffect(frame.words + [word])
        }
        switch effect {
        case .arithmetic: slot.evaluatedAsArithmetic = true
        case .name: slot.usedAsName = true
        case .code(let program, let shell):
            if slot.reparsedBy == nil {
                slot.reparsedBy = program
                slot.reparsedAsShell = shell
            }
        case .none: break
        }
        if frame.test != nil, frame.words.last?.isWord("-v") == true { slot.usedAsName = true }
        if frame.afterFor, frame.words.isEmpty { slot.usedAsName = true }
        // bash evaluates an indexed array's subscript as arithmetic: arr[…]=v, ( … [i]=v).
        let atAssignment = frame.words.allSatisfy(ShellCommandWords.isAssignment) || frame.arrayLiteralDepth != nil
        if atAssignment, isOpenSubscript(word) { slot.evaluatedAsArithmetic = true }
    }
}
