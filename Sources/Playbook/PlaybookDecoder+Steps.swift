import RunbookBasics
import RunbookDiagnostics
import RunbookYAML

/// Decoding of steps: the action, the common keys, rollbacks (SPEC §1.2).
extension PlaybookDecoder {
    static let commonStepKeys = [
        "id", "title", "description", "when", "confirm", "readonly", "timeout", "detach", "retry", "until",
        "expect", "outputs", "on_failure", "rollback", "env", "cwd", "shell", "foreach", "max_failures", "on",
        "parallel",
    ]
    static let stepKeys = commonStepKeys + Action.keys + ["default", "with"]

    /// A list of steps. Each step decodes on its own, so a long list is decoded on every
    /// processor at once; steps and findings keep the list's order.
    /// `ahead`: steps of this list decoded while the file was parsed (`StepsDecodedAhead`), each
    /// taken only for the very node it was decoded from.
    mutating func steps(_ node: YAML.Node, what: String, ahead: [StepsDecodedAhead.Decoded] = []) -> [Step] {
        let nodes = list(node, what: what)
        let file = self.file
        let parts = Parallel.map(Parallel.ranges(nodes.count, minimum: 128)) { part in
            var decoder = PlaybookDecoder(file: file)
            var steps: [Step] = []
            steps.reserveCapacity(part.indices.count)
            for index in part.indices {
                if index < ahead.count, ahead[index].node.isSameNode(as: nodes[index]) {
                    decoder.diagnostics += ahead[index].diagnostics
                    if let step = ahead[index].step { steps.append(step) }
                } else if let step = decoder.step(nodes[index], isRollback: false) {
                    steps.append(step)
                }
            }
            return (steps: steps, diagnostics: decoder.diagnostics)
        }
        diagnostics += parts.flatMap(\.diagnostics)
        return parts.flatMap(\.steps)
    }

    /// A phase: its list of steps, or `{on: HOSTS, steps: [...]}` to run every run step of the
    /// phase on those hosts (each step that names no hosts of its own).
    mutating func phaseSteps(_ node: YAML.Node, what: String) -> [Step] {
        guard node.mapping != nil else { return steps(node, what: what, ahead: decodedAhead?.decoded[what] ?? []) }
        guard let map = MappingReader(node, what: what, allowed: ["on", "steps"], diagnostics: &diagnostics),
            let list = map["steps"]
        else {
            report(
                "\(what) needs steps: a list of steps", at: node.start, hint: "write \(what): {on: web, steps: [...]}")
            return []
        }
        let steps = steps(list, what: what)
        guard let on = map["on"], let selector = targetSelector(on),
            case .group(let inherited) = inheriting(selector, .group(steps))
        else { return steps }
        return inherited
    }

    mutating func step(_ node: YAML.Node, isRollback: Bool) -> Step? {
        let what = isRollback ? "a rollback action" : "a step"
        guard let map = MappingReader(node, what: what, allowed: Self.stepKeys, diagnostics: &diagnostics)
        else { return nil }
        let id = stepID(map, isRollback: isRollback)
        guard let action = action(map, isRollback: isRollback) else { return nil }
        var step = Step(id: id, location: node.start, action: action)
        decodeCommonKeys(map, into: &step)
        decodeFanOut(map, into: &step, isRollback: isRollback)
        if let node = map["rollback"] {
            if isRollback {
                report("a rollback action cannot have a rollback of its own", at: map.keyLocation("rollback")!)
            } else {
                step.rollback = rollback(node)
            }
        }
        return step
    }

    private mutating func stepID(_ map: MappingReader, isRollback: Bool) -> Located<String>? {
        guard !isRollback else {
            if map.has("id") {
                report(
                    "a rollback action has no id of its own", at: map.keyLocation("id")!,
                    hint: "it is known as STEP.rollback; remove 'id'")
            }
            return nil
        }
        return map.require(
            "id", what: "the step", hint: "give every step an id matching [a-z][a-z0-9_]*",
            diagnostics: &diagnostics
        ).flatMap { identifier($0, pattern: .stepID, what: "step id") }
    }

    private mutating func decodeCommonKeys(_ map: MappingReader, into step: inout Step) {
        step.title = map["title"].flatMap { text($0) }
        step.description = map["description"].flatMap { text($0) }
        step.when = map["when"].flatMap { text($0) }
        step.until = map["until"].flatMap { text($0) }
        step.expect = map["expect"].flatMap { text($0) }
        step.cwd = map["cwd"].flatMap { text($0) }
        step.shell = map["shell"].flatMap { text($0) }
        step.confirm = map["confirm"].flatMap { confirmation($0) }
        step.readonly = map["readonly"].flatMap { node in bool(node).map { Located($0, at: node.start) } }
        step.detach = map["detach"].flatMap { bool($0) } ?? false
        step.timeout = map["timeout"].flatMap { duration($0) }
        if let t = step.timeout, t.value.milliseconds == 0 {
            report("timeout must be longer than 0s", at: t.location)
        }
        step.retry = map["retry"].flatMap { retry($0) }
        step.outputs = map["outputs"].map { namedTexts($0, what: "outputs", names: .name) } ?? []
        step.env = map["env"].map { namedTexts($0, what: "env", names: .name) } ?? []
        if let node = map["on_failure"], let s = string(node) {
            if let policy = FailurePolicy(rawValue: s) {
                step.onFailure = Located(policy, at: node.start)
            } else {
                report("unknown on_failure policy '\(s)'", at: node.start, hint: "use continue, rollback or abort")
            }
        }
    }

    /// `foreach` and `max_failures`: only on a step with an action of its own, never on a rollback
    /// action (it runs for the item its step ran for).
    private mutating func decodeFanOut(_ map: MappingReader, into step: inout Step, isRollback: Bool) {
        if let node = map["foreach"] {
            if isRollback {
                report(
                    "a rollback action runs once for each item its step ran for; foreach belongs on the step",
                    at: map.keyLocation("foreach")!, hint: "remove foreach here; item and index are readable in it")
            } else if !Self.fansOut(step.action) {
                report(
                    "foreach runs a step's own action once per item; a \(step.action.key) step has none",
                    at: map.keyLocation("foreach")!, hint: "put foreach on the run, manual, wait or assert steps inside"
                )
            } else if let items = node.sequence {
                step.foreach = .items(
                    items.compactMap { item in text(item).map { Located($0.value, at: item.start) } })
            } else {
                step.foreach = text(node).map(ForEach.expression)
            }
        }
        if let node = map["on"], !isRollback {
            switch step.action {
            case .run:
                if step.foreach != nil {
                    report(
                        "a step runs on hosts or for each item, not both yet", at: map.keyLocation("on")!,
                        hint: "split it into one step per host list, or one fan-out per host")
                } else {
                    step.on = targetSelector(node)
                }
            case .group, .choose:
                // Every run step inside, at any depth, that names no hosts of its own runs there.
                if let selector = targetSelector(node) { step.action = inheriting(selector, step.action) }
            default:
                report(
                    "on: runs a command on hosts; a \(step.action.key) step has none", at: map.keyLocation("on")!,
                    hint: "put on: on the run steps, or on a group of them")
            }
        } else if map.has("on") {
            report(
                "a rollback action runs on the host its step ran on", at: map.keyLocation("on")!,
                hint: "remove on: here")
        }
        /// Keys that only a fan-out has: reported (nil) on any other step.
        func fanOutKey(_ key: String, hint: String) -> YAML.Node? {
            guard let node = map[key] else { return nil }
            guard step.isFanOut || map.has("foreach") else {
                report("\(key) applies to a step with foreach or on", at: map.keyLocation(key)!, hint: hint)
                return nil
            }
            return node
        }
        if let node = fanOutKey("max_failures", hint: "on_failure decides what a failed step does") {
            step.maxFailures = failureBudget(node).map { Located($0, at: node.start) }
        }
        if let node = fanOutKey("parallel", hint: "remove parallel, or give the step foreach: or on:") {
            guard case .run = step.action else {
                report(
                    "parallel runs commands at once; a \(step.action.key) step's items run one at a time",
                    at: map.keyLocation("parallel")!, hint: "remove parallel here")
                return
            }
            if map["detach"].flatMap({ bool($0) }) == true {
                report(
                    "parallel cannot be combined with detach: a detached step's items run one at a time",
                    at: map.keyLocation("parallel")!, hint: "remove parallel or detach")
                return
            }
            guard let width = int(node) else { return }
            guard width >= 1 else {
                report("parallel must be at least 1, got \(width)", at: node.start, hint: "1 runs the items in order")
                return
            }
            step.parallel = Located(width, at: node.start)
        }
    }

    private static func fansOut(_ action: Action) -> Bool {
        switch action {
        case .run, .manual, .wait, .assert: return true
        case .choose, .group, .include: return false
        }
    }

    /// `2` or `"25%"`.
    private mutating func failureBudget(_ node: YAML.Node) -> FailureBudget? {
        if let scalar = node.scalar, scalar.value.hasSuffix("%"),
            let p = Int(scalar.value.dropLast()), (0...100).contains(p)
        {
            return .percent(p)
        }
        if let scalar = node.scalar, scalar.style == .plain, let n = Int(scalar.value), n >= 0 {
            return .count(n)
        }
        report(
            "max_failures is a number of items (0 or more) or a percentage such as 25%", at: node.start,
            hint: "max_failures: 2 lets two items fail; the third failure stops the fan-out")
        return nil
    }

    private mutating func confirmation(_ node: YAML.Node) -> Confirmation? {
        if node.mapping != nil {
            guard
                let map = MappingReader(
                    node, what: "confirm", allowed: ["prompt", "phrase", "each"], diagnostics: &diagnostics)
            else { return nil }
            let each = map["each"].flatMap { bool($0) } ?? false
            let phrase =
                each && !map.has("phrase")
                ? nil
                : map.require(
                    "phrase", what: "confirm",
                    hint:
                        "a confirm mapping names the phrase the operator must type, or each: true; use a string for a yes/no prompt",
                    diagnostics: &diagnostics
                ).flatMap { text($0) }
            if let phrase, phrase.value.isEmpty { report("the confirmation phrase is empty", at: phrase.location) }
            var confirmation = Confirmation(
                prompt: map["prompt"].flatMap { text($0) }, phrase: phrase, location: node.start)
            confirmation.each = each
            return confirmation
        }
        if let s = node.scalar, s.style == .plain, let b = YAML.resolveBool(s.value) {
            return b ? Confirmation(prompt: nil, phrase: nil, location: node.start) : nil
        }
        guard let prompt = text(node) else { return nil }
        if let scalar = node.scalar { warnIfSwitchWord(scalar, at: node.start) }
        return Confirmation(prompt: prompt, phrase: nil, location: node.start)
    }

    /// `confirm: yes` or `confirm: "false"` reads as a question whose whole text is that word:
    /// the step asks "yes" (or "no") before running, which is never what the author meant.
    private mutating func warnIfSwitchWord(_ scalar: YAML.Node.Scalar, at location: SourceLocation) {
        let word = scalar.value.lowercased()
        let on = ["yes", "y", "on", "true"].contains(word)
        guard on || ["no", "n", "off", "false"].contains(word) else { return }
        let why =
            scalar.style == .plain
            ? "playbooks follow YAML 1.2, where yes, no, on and off are strings"
            : "a quoted value is always a string"
        let question = "or write the question itself: confirm: \"Restart the service now?\""
        diagnostics.append(
            on
                ? .warning(
                    "confirm: '\(scalar.value)' is read as the question to ask, not as true", at: location,
                    hint: "write confirm: true to ask with the default question, \(question) (\(why))")
                : .warning(
                    "confirm: '\(scalar.value)' is read as the question to ask, not as false: the step still asks",
                    at: location,
                    hint: "remove 'confirm' (or write confirm: false) to run without asking, \(question) (\(why))"))
    }

    private mutating func retry(_ node: YAML.Node) -> Retry? {
        guard
            let map = MappingReader(
                node, what: "retry", allowed: ["attempts", "delay", "backoff", "within", "on"],
                diagnostics: &diagnostics)
        else { return nil }
        let attempts = map["attempts"].flatMap { int($0) }
        let within = map["within"].flatMap { duration($0) }?.value
        if map["attempts"] == nil, map["within"] == nil {
            report(
                "retry needs 'attempts', 'within' or both", at: node.start,
                hint:
                    "retry: {attempts: 5, delay: 10s} tries five times; retry: {within: 2m, delay: 5s} polls for two minutes"
            )
        }
        if let attempts, attempts < 1, let n = map["attempts"] {
            report("attempts must be at least 1", at: n.start)
        }
        let backoff = map["backoff"].flatMap { number($0) } ?? 1
        if backoff < 1, let n = map["backoff"] {
            report("backoff must be at least 1 (a factor applied to each successive delay)", at: n.start)
        }
        let delay = map["delay"].flatMap { duration($0) }?.value ?? TimeSpan(milliseconds: 0)
        guard attempts != nil || within != nil else { return nil }
        var retry = Retry(
            attempts: attempts.map { max(1, $0) }, delay: delay, backoff: max(1, backoff), within: within,
            location: node.start)
        if let node = map["on"], let condition = string(node) {
            if condition == "connection" {
                retry.onlyConnection = true
            } else {
                report(
                    "unknown retry condition '\(condition)'", at: node.start,
                    hint:
                        "retry: {on: connection} retries only when ssh could not reach the host; without on, every failure is retried"
                )
            }
        }
        return retry
    }

    private mutating func rollback(_ node: YAML.Node) -> [Step] {
        if node.sequence != nil {
            return list(node, what: "rollback").compactMap { step($0, isRollback: true) }
        }
        return step(node, isRollback: true).map { [$0] } ?? []
    }

    /// A symptom fan-out probes every item and is present when any item finds the symptom
    /// (docs/playbook-reference.md, "Fan-out: foreach"): a failure budget means nothing there.
    mutating func checkSymptomBudgets(_ steps: [Step]) {
        for step in steps {
            if let budget = step.maxFailures {
                report(
                    "max_failures has no meaning on a symptom: every item is probed, and the symptom is present when any item finds it",
                    at: budget.location, hint: "remove max_failures here")
            }
            if case .group(let children) = step.action { checkSymptomBudgets(children) }
        }
    }

    /// `on: HOST`, `on: [HOST, GROUP]` or `on: "{{ EXPR }}"`.
    mutating func targetSelector(_ node: YAML.Node) -> TargetSelector? {
        if let items = node.sequence {
            return .names(items.compactMap { item in text(item).map { Located($0.value, at: item.start) } })
        }
        guard let text = text(node) else { return nil }
        return text.value.contains("{{") ? .template(text) : .names([Located(text.value, at: text.location)])
    }

    /// The action with `on:` given to each run step inside (groups and options, at any depth)
    /// that has no `on:` of its own; a step with `foreach` inside is an error (not both yet).
    mutating func inheriting(_ selector: TargetSelector, _ action: Action) -> Action {
        switch action {
        case .group(let steps): return .group(inheriting(selector, steps))
        case .choose(var choice):
            for i in choice.options.indices {
                choice.options[i].steps = inheriting(selector, choice.options[i].steps)
            }
            return .choose(choice)
        default: return action
        }
    }

    private mutating func inheriting(_ selector: TargetSelector, _ steps: [Step]) -> [Step] {
        var steps = steps
        for i in steps.indices {
            switch steps[i].action {
            case .run where steps[i].on == nil:
                if steps[i].foreach != nil {
                    report(
                        "step '\(steps[i].id?.value ?? "?")' has foreach, so it cannot also run on the hosts of on: \(selector.text)",
                        at: steps[i].location,
                        hint: "give it on: of its own without foreach, or move it out of the group")
                } else {
                    steps[i].on = selector
                }
            case .group, .choose: steps[i].action = inheriting(selector, steps[i].action)
            default: break
            }
        }
        return steps
    }
}
