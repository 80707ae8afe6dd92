import Foundation

/// Paths into the repository for tests: fixtures, golden files, the shipped playbooks.
package enum Fixtures {
    /// The repository root, found from this file's location.
    package static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // RunbookTestSupport
        .deletingLastPathComponent()  // Sources
        .deletingLastPathComponent()

    /// A file under `Tests/Fixtures`.
    package static func path(_ name: String) -> String {
        root.appendingPathComponent("Tests/Fixtures").appendingPathComponent(name).path
    }

    /// The text of a file under `Tests/Fixtures`.
    package static func text(_ name: String) throws -> String {
        try String(contentsOfFile: path(name), encoding: .utf8)
    }
}
