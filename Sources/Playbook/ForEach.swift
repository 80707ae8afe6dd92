import RunbookDiagnostics

/// `foreach:` on a step: what it runs once per item of (README: fan-out).
package enum ForEach: Sendable, Hashable {
    /// An expression that gives a list: `params.pods`, `lines(steps.list.stdout)`, `["a", "b"]`.
    case expression(SourceText)
    /// A YAML sequence written in the playbook: the items as they are.
    case items([Located<String>])

    package var location: SourceLocation {
        switch self {
        case .expression(let text): return text.location
        case .items(let items): return items.first?.location ?? .file("")
        }
    }

    /// How plans and digests write it.
    package var text: String {
        switch self {
        case .expression(let text): return text.value
        case .items(let items): return "[" + items.map(\.value).joined(separator: ", ") + "]"
        }
    }
}

/// `max_failures:` how many items of a `foreach` may fail before no further item is started.
///
/// The rule (README: fan-out): an item that fails is counted; once the count is greater than
/// the budget, no item that has not started is started, and the step fails. Up to the budget,
/// failed items are reported and the step succeeds. The default budget is 0: the first failed
/// item stops the fan-out.
package enum FailureBudget: Sendable, Hashable, CustomStringConvertible {
    case count(Int)
    /// A percentage of the items, rounded down: 25% of 10 items allows 2 failures.
    case percent(Int)

    /// The number of failed items allowed among `total`.
    package func allowed(of total: Int) -> Int {
        switch self {
        case .count(let n): return n
        case .percent(let p): return total * p / 100
        }
    }

    package var description: String {
        switch self {
        case .count(let n): return String(n)
        case .percent(let p): return "\(p)%"
        }
    }
}

/// `on:` of a step: the hosts or groups of the inventory its command runs on (README: targets).
package enum TargetSelector: Sendable, Hashable {
    /// Host and group names written in the playbook: checked against the inventory before the run.
    case names([Located<String>])
    /// `"{{ EXPR }}"`: rendered at run time; a list gives several names.
    case template(SourceText)

    package var location: SourceLocation {
        switch self {
        case .names(let names): return names.first?.location ?? .file("")
        case .template(let text): return text.location
        }
    }

    package var text: String {
        switch self {
        case .names(let names): return names.map(\.value).joined(separator: ", ")
        case .template(let text): return text.value
        }
    }
}
