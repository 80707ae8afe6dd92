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
        var sites = Sites()
        sites.add(step.when, .condition)
        if case .expression(let list) = step.foreach { sites.add(list, .list) }
        if case .template(let hosts) = step.on { sites.add(hosts, .template(.plain)) }
        for index in sites.list.indices { sites.list[index].perItem = false }
        sites.add(step.title, .template(.plain))
        sites.add(step.description, .template(.plain))
        if let confirm = step.confirm {
            sites.add(confirm.prompt, .template(.plain))
            sites.add(confirm.phrase, .template(.plain))
        }
        sites.add(step.expect, .condition, own: true, outputs: true)
        sites.add(step.until, .condition, own: true, outputs: true)
        for output in step.outputs { sites.add(output.text, .value, own: true) }
        for variable in step.env { sites.add(variable.text, .template(.plain)) }
        sites.add(step.cwd, .template(.plain))
        sites.add(step.shell, .template(.plain))
        switch step.action {
        case .run(.shell(let command)): sites.add(command, .template(.shell))
        case .run(.argv(let argv)): for item in argv { sites.add(item, .template(.plain)) }
        case .manual(let text): sites.add(text, .template(.plain))
        case .assert(let condition): sites.add(condition, .condition)
        case .choose(let choice):
            for option in choice.options {
                sites.add(option.when, .condition)
                sites.add(option.title, .template(.plain))
            }
        case .include(let include): for binding in include.with { sites.add(binding.text, .template(.plain)) }
        case .wait, .group: break
        }
        return sites.list
    }

    /// The list `sites(of:)` builds: a value of its own rather than a list captured by a local
    /// function, whose every append was checked for exclusive access at run time.
    private struct Sites {
        var list: [ExpressionSite] = []

        init() {
            // Room for a guard, a command and a few more at once: most steps have no more, and
            // growing the list was a sixth of listing them.
            list.reserveCapacity(4)
        }

        mutating func add(_ text: SourceText?, _ kind: Kind, own: Bool = false, outputs: Bool = false) {
            if let text { list.append(ExpressionSite(text: text, kind: kind, ownResult: own, ownOutputs: outputs)) }
        }
    }

}
