import FoundationEssentials
import RunbookBasics
import RunbookGraph
import RunbookPlaybook

/// One line of `runbook list`: who a playbook is for at a glance.
package struct PlaybookSummary: Encodable, Sendable {
    package var id: String
    package var title: String
    package var severity: String?
    package var summary: String?
    package var tags: [String]
    package var file: String
    /// False when the file has errors; `runbook validate FILE` says which.
    package var valid: Bool

    package init(playbook: Playbook, valid: Bool) {
        id = playbook.id.value
        title = playbook.title.value
        severity = playbook.severity?.value.rawValue
        summary = playbook.summary?.value
        tags = playbook.tags
        file = playbook.file
        self.valid = valid
    }

    package init(invalidFile file: String) {
        id = Path.lastComponent(of: file).split(separator: ".").first.map(String.init) ?? file
        title = "(invalid playbook: run 'runbook validate \(file)')"
        tags = []
        self.file = file
        valid = false
    }

    /// Aligned columns: ID, SEVERITY, TITLE.
    package static func table(_ rows: [PlaybookSummary]) -> String {
        let width = max(2, rows.map(\.id.count).max() ?? 0)
        var out = "ID".padding(width) + "  SEV  TITLE\n"
        for row in rows {
            out += row.id.padding(width) + "  " + (row.severity ?? "-").padding(3) + "  " + row.title + "\n"
        }
        return out
    }
}

extension String {
    /// Left-aligned in a column of `width` characters.
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

extension PlaybookSummary {
    /// The rows of `runbook list`, one per entry of the search path.
    package static func rows(_ entries: [PlaybookCatalog.Entry]) -> [PlaybookSummary] {
        entries.map { entry in
            entry.playbook.map { PlaybookSummary(playbook: $0, valid: entry.valid) }
                ?? PlaybookSummary(invalidFile: entry.file)
        }
    }
}
