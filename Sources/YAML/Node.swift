import RunbookDiagnostics

/// Namespace for the YAML layer: the only code that knows libyaml exists.
package enum YAML {
    /// From this size on an input is large enough that a second processor helps: its events
    /// are read ahead (`EventParser`), and its tree is freed on another thread once decoded.
    package static let largeInputBytes = 64 * 1024
}

extension YAML {
    /// Work on the items of a document's top-level lists done while the parse would wait.
    ///
    /// A large input is read ahead by libyaml on another thread, which is slower than composing
    /// its events, so the composing thread waits for it much of the time. Meanwhile it can work
    /// on what is already composed: each item of a list that is the value of a top-level key
    /// (`recovery: [ … ]`) is offered once, in document order, as soon as it is complete and
    /// only while the thread would otherwise wait, so not every item is offered.
    package protocol ItemWork: AnyObject {
        /// Called on the composing thread; `key` is the top-level key whose list holds `item`.
        func work(key: String, item: Node)
    }
}

extension YAML {
    /// A composed YAML node that remembers where it came from.
    package struct Node: Sendable, Hashable {
        package enum Content: Sendable, Hashable {
            case scalar(Scalar)
            case sequence([Node])
            case mapping([Pair])
        }

        /// A scalar's text, how it was written, and where each character came from.
        package struct Scalar: Sendable, Hashable {
            package var value: String
            package var style: ScalarStyle
            package var positions: ScalarPositions

            package init(value: String, style: ScalarStyle, positions: ScalarPositions) {
                self.value = value
                self.style = style
                self.positions = positions
            }
        }

        /// One key/value entry of a mapping, in document order.
        package struct Pair: Sendable, Hashable {
            package var key: Node
            package var value: Node

            package init(key: Node, value: Node) {
                self.key = key
                self.value = value
            }
        }

        private struct Fields: Sendable, Hashable {
            var content: Content
            var tag: String?
            var start: SourceLocation
        }

        /// The fields live in one shared, copy-on-write box: nodes are copied wherever a tree is
        /// built and read, and copying 128 bytes with six references was a visible part of
        /// composing and decoding a long playbook. Mutated only through `fields`, which copies
        /// the box first unless this node is its only owner.
        private final class Box: @unchecked Sendable {
            // Unchecked: every write goes through `fields`, which first makes this node the
            // box's only owner, so a read can never overlap a write; the runtime check of each
            // access was a visible part of composing and decoding.
            @exclusivity(unchecked) var fields: Fields
            init(_ fields: Fields) { self.fields = fields }
        }

        private var box: Box

        private var fields: Fields {
            get { box.fields }
            _modify {
                if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
                yield &box.fields
            }
        }

        package var content: Content {
            get { box.fields.content }
            _modify { yield &fields.content }
        }
        /// An explicit tag (`!!str`, `!custom`), or nil when the node had none.
        package var tag: String? {
            get { box.fields.tag }
            _modify { yield &fields.tag }
        }
        /// Where the node starts (for a quoted scalar, the opening quote).
        package var start: SourceLocation {
            get { box.fields.start }
            _modify { yield &fields.start }
        }
        package init(content: Content, tag: String? = nil, start: SourceLocation) {
            box = Box(Fields(content: content, tag: tag, start: start))
        }

        package static func == (a: Node, b: Node) -> Bool { a.box === b.box || a.box.fields == b.box.fields }

        /// True when both are the very node the composer made (not only equal): a quick test that
        /// work done on one holds for the other.
        package func isSameNode(as other: Node) -> Bool { box === other.box }

        package func hash(into hasher: inout Hasher) { box.fields.hash(into: &hasher) }
    }

    /// How a scalar was written; plain scalars are the only ones resolved to null, bool or number.
    package enum ScalarStyle: String, Sendable, Hashable {
        case plain
        case singleQuoted
        case doubleQuoted
        case literal
        case folded
    }
}

extension YAML.Node {
    package var scalar: Scalar? {
        if case .scalar(let s) = content { return s }
        return nil
    }

    /// A scalar's value alone, read in place (comparing keys asks for nothing else).
    package var scalarValue: String? {
        if case .scalar(let s) = box.fields.content { return s.value }
        return nil
    }

    package var sequence: [YAML.Node]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    package var mapping: [Pair]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    /// The scalar's value as `SourceText`, keeping character positions.
    package var text: SourceText? {
        scalar.map { SourceText($0.value, positions: $0.positions) }
    }

    /// True for a plain `null`, `~` or empty scalar (YAML 1.2 core schema).
    package var isNull: Bool {
        // Read in place, like `scalarValue`: decoding asks this of nearly every value.
        guard case .scalar(let s) = box.fields.content, s.style == .plain, box.fields.tag == nil else { return false }
        // By length first: each spelling is canonically equal only to its own bytes (see `WordSet`).
        switch s.value.utf8.count {
        case 0: return true
        case 1: return s.value == "~"
        case 4: return s.value == "null" || s.value == "Null" || s.value == "NULL"
        default: return false
        }
    }

    /// A short name of the node's kind for error messages ("a mapping", "a string", …).
    package var kindDescription: String {
        switch content {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let s):
            if isNull { return "null" }
            if s.style != .plain { return "a string" }
            if YAML.resolveBool(s.value) != nil { return "a boolean" }
            if Int(s.value) != nil || Double(s.value) != nil { return "a number" }
            return "a string"
        }
    }
}

extension YAML {
    /// YAML 1.2 core-schema booleans only; `yes`/`no`/`on`/`off` stay strings (documented in the README).
    package static func resolveBool(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }
}
