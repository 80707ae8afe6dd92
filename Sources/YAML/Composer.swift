import RunbookDiagnostics

/// Builds a positioned `YAML.Node` tree from libyaml events, enforcing `YAML.Limits`.
///
/// The composer is iterative (an explicit stack), so nesting depth costs heap, not
/// call stack, and the depth limit is a diagnostic rather than a crash.
struct Composer {
    private struct Frame {
        var isMapping: Bool
        var tag: String?
        var anchor: String?
        var start: SourceLocation
        var items: [YAML.Node] = []
        var pairs: [YAML.Node.Pair] = []
        var pendingKey: YAML.Node?
        /// Where each key was first written, kept once a mapping has many keys.
        var firstKeys: [String: SourceLocation] = [:]
        var keysIndexed = false
        var size = 1
    }

    private struct Stop: Error {}

    let source: SourceMap
    let limits: YAML.Limits
    private var stack: [Frame] = []
    private var anchors: [String: (node: YAML.Node, size: Int)] = [:]
    private var aliasNodes = 0
    private var documents = 0
    private var root: YAML.Node?
    private var diagnostics: [Diagnostic] = []
    /// The last scalar libyaml handed over: a syntax error right after a plain one is usually about that value.
    private var lastScalar: (style: YAML.ScalarStyle, start: EventParser.Mark, end: EventParser.Mark)?
    /// Who works on the items of top-level lists while the parse waits, and the items composed
    /// but not offered yet (the first `offered` of `items` have been).
    private let itemWork: YAML.ItemWork?
    /// Set when the input is read ahead: only then does the composer wait, so only then are
    /// items collected.
    private var collectsItems = false
    private var items: [(key: String, item: YAML.Node)] = []
    private var offered = 0

    init(source: SourceMap, limits: YAML.Limits, itemWork: YAML.ItemWork? = nil) {
        self.source = source
        self.limits = limits
        self.itemWork = itemWork
    }

    mutating func compose(_ parser: EventParser) -> YAML.ParseResult {
        collectsItems = itemWork != nil && parser.readsAhead
        do {
            while true {
                let event: EventParser.Event
                do { event = try parser.next(whileWaiting: { offerItem() }) } catch { report(error); break }
                if case .streamEnd = event { break }
                try handle(event)
            }
        } catch {}
        let isEmpty = root == nil && !diagnostics.hasErrors
        if isEmpty {
            // At 1:1 like every other finding, so editors and `file:line:col` parsers can jump to it.
            diagnostics.append(
                .error(
                    "the file holds no YAML document", at: location(EventParser.Mark(line: 0, column: 0)),
                    hint: "the file is empty or holds only comments and blank lines"))
        }
        var result = YAML.ParseResult(root: diagnostics.hasErrors ? nil : root, diagnostics: diagnostics)
        result.isEmpty = isEmpty
        return result
    }

    private mutating func handle(_ event: EventParser.Event) throws(Stop) {
        switch event {
        case .streamStart, .streamEnd, .documentEnd: return
        case .documentStart(let mark):
            documents += 1
            if documents > 1 {
                throw fail(
                    "the file holds more than one YAML document", at: location(mark),
                    hint: "put each playbook in a file of its own")
            }
        case .scalar(let value, let tag, let anchor, let style, let start, let end):
            lastScalar = (style, start, end)
            let s = source.index(line: start.line, column: start.column)
            let e = source.index(line: end.line, column: end.column)
            let positions = ScalarAligner(source: source, line: start.line).positions(
                value: value, style: style, from: s, to: e)
            let node = YAML.Node(
                content: .scalar(.init(value: value, style: style, positions: positions)),
                tag: tag, start: location(start))
            try add(node, size: 1, anchor: anchor)
        case .sequenceStart(let tag, let anchor, let start), .mappingStart(let tag, let anchor, let start):
            if stack.count >= limits.maxDepth {
                throw fail(
                    "nesting is deeper than \(limits.maxDepth) levels", at: location(start),
                    hint: "a playbook never needs this much nesting; check for runaway brackets")
            }
            var isMapping = false
            if case .mappingStart = event {
                isMapping = true
                if startsWithTemplate(start) {
                    throw fail(
                        "a value that starts with '{' is a YAML mapping, so this '{{' does not start a template",
                        at: location(start),
                        hint: "put the whole value in quotes: \"{{ … }} …\" (a template later in a value needs none)")
                }
            }
            stack.append(Frame(isMapping: isMapping, tag: tag, anchor: anchor, start: location(start)))
            // Room for a step's usual keys at once: growing the list from one pair was a third
            // of adding nodes.
            if isMapping { stack[stack.count - 1].pairs.reserveCapacity(4) }
        case .sequenceEnd, .mappingEnd:
            let frame = stack.removeLast()
            let content: YAML.Node.Content = frame.isMapping ? .mapping(frame.pairs) : .sequence(frame.items)
            let node = YAML.Node(content: content, tag: frame.tag, start: frame.start)
            try add(node, size: frame.size, anchor: frame.anchor)
        case .alias(let name, let start, _):
            guard let target = anchors[name] else {
                throw fail(
                    "unknown alias '*\(name)'", at: location(start),
                    hint: "define the anchor '&\(name)' before using it")
            }
            aliasNodes += target.size
            if aliasNodes > limits.maxAliasNodes {
                throw fail(
                    "aliases expand to more than \(limits.maxAliasNodes) nodes", at: location(start),
                    hint: "this looks like an alias bomb; write the values out instead")
            }
            var copy = target.node
            copy.start = location(start)
            try add(copy, size: target.size, anchor: nil)
        }
    }

    /// Offers the next composed item of a top-level list to `itemWork`; false when there is none.
    private mutating func offerItem() -> Bool {
        guard let itemWork, offered < items.count else { return false }
        let next = items[offered]
        offered += 1
        itemWork.work(key: next.key, item: next.item)
        return true
    }

    private mutating func add(_ node: YAML.Node, size: Int, anchor: String?) throws(Stop) {
        if let anchor { anchors[anchor] = (node, size) }
        guard !stack.isEmpty else {
            if root == nil { root = node }
            return
        }
        stack[stack.count - 1].size += size
        if !stack[stack.count - 1].isMapping {
            stack[stack.count - 1].items.append(node)
            // An item of a list that is a top-level key's value.
            if collectsItems, stack.count == 2, stack[0].isMapping, let key = stack[0].pendingKey?.scalarValue {
                items.append((key, node))
            }
        } else if let key = stack[stack.count - 1].pendingKey {
            stack[stack.count - 1].pairs.append(.init(key: key, value: node))
            stack[stack.count - 1].pendingKey = nil
        } else {
            checkDuplicate(key: node)
            stack[stack.count - 1].pendingKey = node
        }
    }

    /// libyaml accepts repeated keys silently; a repeated key in a playbook is always a mistake.
    private mutating func checkDuplicate(key: YAML.Node) {
        guard let name = key.scalarValue else { return }
        let top = stack.count - 1
        let first: SourceLocation?
        if stack[top].pairs.count < 16 {
            // A few keys: comparing them costs less than hashing into a dictionary per mapping.
            first = stack[top].pairs.first { $0.key.scalarValue == name }?.key.start
        } else {
            if !stack[top].keysIndexed {
                stack[top].keysIndexed = true
                for pair in stack[top].pairs.reversed() {
                    if let earlier = pair.key.scalarValue { stack[top].firstKeys[earlier] = pair.key.start }
                }
            }
            first = stack[top].firstKeys[name]
        }
        if let first {
            diagnostics.append(
                .error(
                    "duplicate key '\(name)' (first defined at line \(first.line), column \(first.column))",
                    at: key.start, hint: "remove one of them; YAML keeps only one value per key"))
        } else if stack[top].keysIndexed {
            stack[top].firstKeys[name] = key.start
        }
    }

    /// Records a fatal finding; the returned error ends composition.
    private mutating func fail(_ message: String, at location: SourceLocation, hint: String? = nil) -> Stop {
        diagnostics.append(.error(message, at: location, hint: hint))
        return Stop()
    }

    private mutating func report(_ failure: EventParser.Failure) {
        var message = failure.problem
        if let context = failure.context {
            message += " (\(context) at line \(failure.contextMark.line + 1), column \(failure.contextMark.column + 1))"
        }
        if let offset = failure.byteOffset {
            // Reader errors carry a byte offset, not a mark.
            let at = source.location(ofIndex: source.scalarIndex(ofByteOffset: offset))
            diagnostics.append(
                .error(
                    "the file is not valid UTF-8 text: \(message)", at: at,
                    hint: "save the file as UTF-8 without control characters"))
            return
        }
        if let start = plainValueWithColon(failure) {
            diagnostics.append(
                .error(
                    "an unquoted value cannot contain ': ' (YAML reads a colon followed by a space as a key)",
                    at: location(start),
                    hint: "put the whole value in quotes (\"…\" or '…') from here, or write it as a block after '|'"))
            return
        }
        diagnostics.append(.error("YAML syntax: " + message, at: location(failure.problemMark)))
    }

    /// A flow mapping that opens with `{{`: a template at the very start of a value, which YAML
    /// reads as a mapping (inside a mapping) rather than as text.
    private func startsWithTemplate(_ mark: EventParser.Mark) -> Bool {
        let i = source.index(line: mark.line, column: mark.column)
        return i + 1 < source.scalars.count && source.scalars[i] == "{" && source.scalars[i + 1] == "{"
    }

    /// The start of the plain scalar that libyaml's "mapping values are not allowed in this context"
    /// is about: `run: echo a: b` stops at the second `: `, right after the plain value `echo a`,
    /// and the quote belongs where that value starts. Nil when the error is anything else.
    private func plainValueWithColon(_ failure: EventParser.Failure) -> EventParser.Mark? {
        guard failure.problem == "mapping values are not allowed in this context", failure.context == nil,
            let scalar = lastScalar, scalar.style == .plain
        else { return nil }
        let from = source.index(line: scalar.end.line, column: scalar.end.column)
        let to = source.index(line: failure.problemMark.line, column: failure.problemMark.column)
        guard from <= to, source.scalars[from..<to].allSatisfy({ $0 == " " || $0 == "\t" }) else { return nil }
        return scalar.start
    }

    private func location(_ mark: EventParser.Mark) -> SourceLocation {
        SourceLocation(sourceFile: source.file, line: mark.line + 1, column: mark.column + 1)
    }
}
