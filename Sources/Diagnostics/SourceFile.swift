import RunbookBasics

/// The file a position is in: a path, stored once per process and referred to without
/// reference counting.
///
/// Every location and every scalar's positions name their file. Held as a `String`, a path
/// longer than 15 bytes lives in one shared buffer whose reference count every copy of every
/// location changed — from every processor checking a long playbook at once, each change
/// taking the buffer's cache line from the other processor. A path is now entered once in a
/// table that lives as long as the process (one entry per distinct path), and a position
/// holds an unowned reference to its entry: copying one changes no count, comparing two
/// compares two addresses.
package struct SourceFile: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// A path's entry; never freed, since the table keeps it.
    private final class Entry: Sendable {
        let path: String
        init(_ path: String) { self.path = path }
    }

    /// Kept alive by `table`, which never removes an entry.
    private unowned(unsafe) let entry: Entry

    /// The one entry of `path`, made the first time a path is named.
    package init(_ path: String) {
        entry = Self.table.withLock { table in
            if let entry = table[path] { return entry }
            let entry = Entry(path)
            table[path] = entry
            return entry
        }
    }

    package var path: String { entry.path }
    package var description: String { entry.path }

    package static func == (a: SourceFile, b: SourceFile) -> Bool { a.entry === b.entry }
    package func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(entry)) }
    package static func < (a: SourceFile, b: SourceFile) -> Bool { a.entry !== b.entry && a.path < b.path }

    /// Every path named so far, each with its entry; never emptied.
    private static let table = Locked<[String: Entry]>([:])
}
