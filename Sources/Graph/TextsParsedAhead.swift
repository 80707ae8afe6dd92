import Dispatch
import Glibc
import RunbookBasics
import RunbookDiagnostics
import RunbookExpression
import RunbookPlaybook

/// The texts of a long playbook's steps, parsed on another processor while the playbook
/// compiles on this one.
///
/// Compiling runs on one processor, and parsing a step's expressions and templates (a shell
/// command's are placed by a scan of the whole command) is most of checking it and needs
/// nothing but the step. So a helper thread parses steps from the last one back while the
/// graph is compiled and until checking starts, which then takes each step the helper has
/// parsed and parses the others itself: no step is parsed twice. A step is taken only when it
/// is the very step the helper parsed, so what is reported never depends on who parsed it.
final class TextsParsedAhead: @unchecked Sendable {
    // Unchecked: what the helper and checking share is behind `shared`'s lock, except a step's
    // parses, which the helper writes before it marks the step parsed and checking reads after
    // it has seen that mark.

    /// From this many steps on, a helper is worth its thread.
    static let minimumSteps = 128

    /// A step's sites and its rollback actions' (as checking enumerates them) and their parses.
    struct StepTexts: Sendable {
        var sites: [ExpressionSite]
        var rollbackSites: [ExpressionSite]
        var parses: [ExpressionSite.Parse]
    }

    private enum State: UInt8 {
        case untouched, parsing, parsed, taken
    }

    private struct Shared {
        /// The steps in the order checking meets them, once the helper has listed them.
        var steps: [Step] = []
        var states: [State] = []
        /// Each step's parses, once the helper has listed the steps.
        var parsed: UnsafeMutableBufferPointer<StepTexts?>?
        /// Checking has started: the helper begins no further step.
        var stopped = false
    }

    private let playbook: Playbook
    private let shared = Locked(Shared())

    private init(_ playbook: Playbook) {
        self.playbook = playbook
    }

    deinit {
        shared.withLock { shared in
            guard let parsed = shared.parsed else { return }
            _ = parsed.deinitialize()
            parsed.deallocate()
        }
    }

    /// Starts the helper on `playbook`; nil for a short playbook or on one processor.
    static func start(_ playbook: Playbook) -> TextsParsedAhead? {
        guard Parallel.processors > 1 else { return nil }
        guard Phase.allCases.reduce(0, { $0 + playbook.steps($1).count }) >= minimumSteps else { return nil }
        let ahead = TextsParsedAhead(playbook)
        DispatchQueue.global().async { ahead.parseFromTheEnd() }
        return ahead
    }

    /// The steps checking meets (`GraphCompiler.ownSteps`), in its order: phase by phase, each
    /// step followed by those of its groups and options; an included playbook's are its own.
    private static func ownSteps(of playbook: Playbook) -> [Step] {
        var steps: [Step] = []
        func walk(_ step: Step) {
            steps.append(step)
            guard step.actionKind == .group || step.actionKind == .choose else { return }
            switch step.action {
            case .group(let children): children.forEach(walk)
            case .choose(let choice): choice.options.forEach { $0.steps.forEach(walk) }
            default: break
            }
        }
        for phase in Phase.allCases { playbook.steps(phase).forEach(walk) }
        return steps
    }

    /// The helper: lists the steps, then parses them from the last back until checking starts.
    private func parseFromTheEnd() {
        let steps = Self.ownSteps(of: playbook)
        let parsed = UnsafeMutableBufferPointer<StepTexts?>.allocate(capacity: steps.count)
        parsed.initialize(repeating: nil)
        shared.withLock { shared in
            shared.steps = steps
            shared.states = Array(repeating: shared.stopped ? .taken : .untouched, count: steps.count)
            shared.parsed = parsed
        }
        let expressions = ParsedExpressions()
        for index in steps.indices.reversed() {
            let claimed = shared.withLock { shared in
                guard shared.states[index] == .untouched else { return false }
                shared.states[index] = .parsing
                return true
            }
            guard claimed else { return }
            parsed[index] = Self.parse(steps[index], expressions: expressions)
            shared.withLock { $0.states[index] = .parsed }
        }
    }

    /// Checking starts: the helper parses no further step (it finishes the one it is on).
    func stop() {
        shared.withLock { shared in
            shared.stopped = true
            for index in shared.states.indices where shared.states[index] == .untouched {
                shared.states[index] = .taken
            }
        }
    }

    /// The parses of the step at `index` of the checked steps, if the helper made them for this
    /// very step; otherwise nil, and the helper will not parse it.
    func take(_ index: Int, step: Step) -> StepTexts? {
        while true {
            let found: (state: State, parsed: UnsafeMutableBufferPointer<StepTexts?>?)? = shared.withLock { shared in
                guard index < shared.states.count, shared.steps[index].isSameStep(as: step) else { return nil }
                let state = shared.states[index]
                if state == .untouched || state == .parsed { shared.states[index] = .taken }
                return (state, shared.parsed)
            }
            switch found?.state {
            case nil, .untouched, .taken: return nil
            case .parsed: return found?.parsed?[index].take()
            // The helper is on this one: it takes microseconds.
            case .parsing: sched_yield()
            }
        }
    }

    /// Steps parsed and not taken yet (for tests).
    var parsedCount: Int { shared.withLock { $0.states.filter { $0 == .parsed }.count } }

    /// The sites of `step` and of its rollback actions, parsed as checking would.
    private static func parse(_ step: Step, expressions: ParsedExpressions) -> StepTexts {
        let sites = ExpressionSite.sites(of: step)
        let rollbackSites = step.rollback.flatMap(ExpressionSite.sites(of:))
        return StepTexts(
            sites: sites, rollbackSites: rollbackSites, parses: (sites + rollbackSites).map { $0.parse(expressions) })
    }
}
