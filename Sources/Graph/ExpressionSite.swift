import RunbookDiagnostics
import RunbookExpression
import RunbookPlaybook

/// One place in a step where an expression or template is written, and how it is read.
struct ExpressionSite {
    enum Kind {
        /// `when`, `expect`, `until`, `assert`, an option's `when`: true or false.
        case condition
        /// `outputs`: any value.
        case value
        /// `foreach`: a list.
        case list
        /// `{{ }}` text in the given quoting mode.
        case template(QuotingMode)

        var isCondition: Bool {
            if case .condition = self { return true }
            return false
        }
    }

    var text: SourceText
    var kind: Kind
    /// Inside the step's own `expect`, `until` or `outputs`: bare `stdout` etc. are allowed.
    var ownResult: Bool
    /// Inside the step's own `expect` or `until`: `outputs.NAME` is allowed too.
    var ownOutputs = false
    /// Read once per item of a step with `foreach` (everything but its `when` and the `foreach` itself).
    var perItem = true

    /// A site's text, parsed: an expression, a template in the site's quoting mode, or why it
    /// does not parse. (Not a `Result`: its `Error` constraint cost every start a search of the
    /// runtime's conformance records.)
    enum Parse: Sendable {
        case expression(Expression)
        case template(Template)
        case failed(Diagnostic)
    }

    /// The site's text parsed as its kind reads it, taking a repeated expression from `parsed`.
    func parse(_ parsed: ParsedExpressions?) -> Parse {
        do throws(Diagnostic) {
            switch kind {
            case .condition, .value, .list: return .expression(try Expression(parsing: text, parsed: parsed))
            case .template(let mode): return .template(try Template(parsing: text, mode: mode, parsed: parsed))
            }
        } catch {
            return .failed(error)
        }
    }

    /// Every site of a step, rollback actions excluded (they are checked with their own visibility).
    static func sites(of step: Step) -> [ExpressionSite] {
        var sites: [ExpressionSite] = []
        // Room for a guard, a command and a few more at once: most steps have no more, and
        // growing the list was a sixth of listing them.
        sites.reserveCapacity(4)
        func add(_ text: SourceText?, _ kind: Kind, own: Bool = false, outputs: Bool = false) {
            if let text { sites.append(ExpressionSite(text: text, kind: kind, ownResult: own, ownOutputs: outputs)) }
        }
        add(step.when, .condition)
        if case .expression(let list) = step.foreach { add(list, .list) }
        if case .template(let hosts) = step.on { add(hosts, .template(.plain)) }
        for index in sites.indices { sites[index].perItem = false }
        add(step.title, .template(.plain))
        add(step.description, .template(.plain))
        if let confirm = step.confirm {
            add(confirm.prompt, .template(.plain))
            add(confirm.phrase, .template(.plain))
        }
        add(step.expect, .condition, own: true, outputs: true)
        add(step.until, .condition, own: true, outputs: true)
        step.outputs.forEach { add($0.text, .value, own: true) }
        step.env.forEach { add($0.text, .template(.plain)) }
        add(step.cwd, .template(.plain))
        add(step.shell, .template(.plain))
        switch step.action {
        case .run(.shell(let command)): add(command, .template(.shell))
        case .run(.argv(let argv)): argv.forEach { add($0, .template(.plain)) }
        case .manual(let text): add(text, .template(.plain))
        case .assert(let condition): add(condition, .condition)
        case .choose(let choice):
            choice.options.forEach {
                add($0.when, .condition)
                add($0.title, .template(.plain))
            }
        case .include(let include): include.with.forEach { add($0.text, .template(.plain)) }
        case .wait, .group: break
        }
        return sites
    }

}
