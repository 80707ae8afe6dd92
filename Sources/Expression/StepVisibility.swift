/// Whether a step's result can exist when an expression at some site is evaluated.
package enum StepVisibility: Sendable, Hashable {
    /// The step comes earlier on every path to the site (it has run, or was skipped).
    case before
    /// The step sits in another option of a `choose`, so it may not have run at the site.
    case otherBranch
    /// The step comes at or after the site: its result cannot exist yet.
    case notBefore
    /// The site is a rollback and the step comes after the rolled-back step: it may or may not
    /// have run by the time the rollback runs, so only whether it did (`status`, `ok`) is readable.
    case afterRolledBack
}

/// Where every step of a playbook sits, built once per playbook, and the site an expression is
/// checked at: answers how visible a step is there without a table per site (README: validate
/// stays linear in the number of steps).
package struct StepVisibilities: Sendable {
    /// Where one step sits: its position in run order and the `choose` options it is inside.
    package struct Position: Sendable {
        package var index: Int
        /// (choose step, option) pairs, outermost first.
        package var branch: [Branch]

        package init(index: Int, branch: [Branch]) {
            self.index = index
            self.branch = branch
        }
    }

    package struct Branch: Sendable, Hashable {
        package var choose: String
        package var option: String

        package init(choose: String, option: String) {
            self.choose = choose
            self.option = option
        }
    }

    /// Every step by the id expressions use, in a box shared by all sites (`rehomed()`).
    private final class Table: Sendable {
        let positions: [String: Position]
        init(_ positions: [String: Position]) { self.positions = positions }
    }

    private var table: Table

    /// Every step by the id expressions use; shared by all sites.
    package var positions: [String: Position] { table.positions }
    /// The site: the step whose expression (or rollback) is checked.
    package var site: Position?
    /// True at a step's own rollback: the step itself counts as before.
    package var includingSelf = false
    /// True at a rollback: steps after the site may have run by then.
    package var atRollback = false

    /// Visibilities given outright instead of computed (for checking one expression on its own).
    private var fixed: [String: StepVisibility]?

    package init(positions: [String: Position], site: Position?) {
        table = Table(positions)
        self.site = site
    }

    /// The same visibilities with the table in a box of their own (`ExpressionContext.rehomed()`).
    package func rehomed() -> StepVisibilities {
        var copy = self
        copy.table = Table(positions)
        return copy
    }

    /// How visible step `id` is at the site; nil when the playbook has no such step.
    package subscript(id: String) -> StepVisibility? {
        if let fixed { return fixed[id] }
        guard let position = positions[id] else { return nil }
        guard let site else { return .notBefore }
        for point in position.branch {
            if let mine = site.branch.first(where: { $0.choose == point.choose }), mine.option != point.option {
                return .otherBranch
            }
        }
        if position.index < site.index || (includingSelf && position.index == site.index) { return .before }
        return atRollback ? .afterRolledBack : .notBefore
    }

    /// Every step id, for suggestions.
    package var ids: [String] { fixed.map { Array($0.keys) } ?? Array(positions.keys) }
}

extension StepVisibilities: ExpressibleByDictionaryLiteral {
    package init(dictionaryLiteral elements: (String, StepVisibility)...) {
        self.init(positions: [:], site: nil)
        fixed = Dictionary(elements) { _, last in last }
    }
}
