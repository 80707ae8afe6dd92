import FoundationEssentials
import RunbookBasics
import RunbookEvents
import RunbookPlaybook
import RunbookProcess

/// The text of a run as the terminal shows it: a readable plan in a dry-run, progress in a live run.
struct RunText {
    private let write: @Sendable (String) -> Void
    private var depths: [String: Int] = [:]
    /// Items of a fan-out started and not yet ended: more than one while a `parallel:` fan-out
    /// runs them side by side, whose output lines then carry their item's id.
    private var open: Set<String> = []
    private var phase: Phase?
    private var pendingConfirmation: (step: String, line: String)?
    private var mode: RunMode?
    /// Each step as it ended, for the closing summary (step, phase, status, duration).
    private var rows: [(step: String, phase: String, status: String, duration: String)] = []
    private var phases: [String: Phase] = [:]

    init(write: @escaping @Sendable (String) -> Void) {
        self.write = write
    }

    mutating func handle(_ event: EngineEvent) {
        if let pending = pendingConfirmation {
            var isItsStep = false
            if case .stepStarted(let s) = event { isItsStep = s.id == pending.step }
            if !isItsStep {
                write("      \(pending.step) \(pending.line)\n")
                pendingConfirmation = nil
            }
        }
        switch event {
        case .runStarted(let r): runStarted(r)
        case .stepStarted(let s):
            if s.item != nil { open.insert(s.id) }
            stepStarted(s)
        case .stepFinished(let f):
            open.remove(f.id)
            if let resumed = f.resumed { resumedStep(f, resumed) } else { stepFinished(f, rollback: false) }
        case .stepSkipped(let s):
            rows.append((s.id, s.phase.rawValue, "skipped", "—"))
            if s.depth == 0 { heading(s.phase) }
            let values = s.guardRecord.map { Self.values($0.values) } ?? ""
            write("\(indent(s.depth))- \(s.id) skipped: \(s.reason)\(values)\n")
        case .confirmation(let c) where c.answer == .notAsked:
            return  // the plan shows the prompt with its step
        case .confirmation(let c):
            // Shown under the step's header, which the engine reports after the answer.
            let by = c.approvedBy.map { " by \($0)" } ?? ""
            let verb = c.answer == .yes ? "confirmed" : "asked"
            pendingConfirmation = (c.stepID, "\(verb): \(c.prompt) → \(c.answer.rawValue)\(by)")
        case .choice(let c):
            let what =
                c.option.map { "took option \($0) (\(c.by))" }
                ?? "every option is listed: \(c.available.joined(separator: ", "))"
                + (c.defaultOption.map { " (default \($0))" } ?? "")
            write("\(indent(depths[c.stepID] ?? 0))    \(what)\n")
            for (name, why) in c.unavailable.sorted(by: { $0.key < $1.key }) {
                write("\(indent(depths[c.stepID] ?? 0))    not offered: \(name), since \(why) is false\n")
            }
        case .rollbackStarted(let r):
            write("  ↶ rollback \(r.id)\(r.display.map { ": \($0)" } ?? "")\n")
        case .rollbackFinished(let f): stepFinished(f, rollback: true)
        case .notice(let text): write("note: \(text)\n")
        case .runFinished(let f):
            if mode != .dryRun, !rows.isEmpty { write(summary()) }
            let failed = f.failedStep.map { ", at step \($0)" } ?? f.signal.map { " by \($0)" } ?? ""
            write(
                "\nOutcome: \(f.outcome.rawValue)\(failed) — exit \(f.exitStatus.rawValue), \(Self.seconds(f.durationMS))\n"
            )
            if !f.leftInPlace.isEmpty {
                write(
                    "Left in place (no rollback action; check and undo by hand): \(f.leftInPlace.joined(separator: ", "))\n"
                )
            }

        }
    }

    /// Lines a step printed, each prefixed with a mark for its stream, in one write.
    func output(step: String, lines: [String], channel: OutputChannel) {
        let prefix =
            "\(indent(depths[step] ?? 0))    \(channel == .stderr ? "!" : "│") "
            + (open.count > 1 ? "[\(step)] " : "")
        var text = ""
        text.reserveCapacity(lines.reduce(0) { $0 + $1.utf8.count + prefix.utf8.count + 1 })
        for line in lines {
            text += prefix
            text += line
            text += "\n"
        }
        write(text)
    }

    /// The closing table: every step that ended or was skipped, in order, rollbacks marked ↶.
    private func summary() -> String {
        let headings = ("STEP", "PHASE", "STATUS", "DURATION")
        let w0 = max(headings.0.count, rows.map(\.step.count).max() ?? 0)
        let w1 = max(headings.1.count, rows.map(\.phase.count).max() ?? 0)
        let w2 = max(headings.2.count, rows.map(\.status.count).max() ?? 0)
        func line(_ a: String, _ b: String, _ c: String, _ d: String) -> String {
            "  \(a.padded(to: w0))  \(b.padded(to: w1))"
                + "  \(c.padded(to: w2))  \(d)\n"
        }
        return "\nSummary\n" + line(headings.0, headings.1, headings.2, headings.3)
            + rows.map { line($0.step, $0.phase, $0.status, $0.duration) }.joined()
    }

    private mutating func runStarted(_ r: RunStarted) {
        mode = r.mode
        let dry = r.mode == .dryRun
        write(
            "\(dry ? "DRY RUN — nothing will be executed\n" : "")\(r.playbookID) — \(r.title)  [\(r.mode.rawValue)]\n")
        if let prior = r.prior {
            write("\(prior.purpose == .rollback ? "rolls back" : "resumes") run \(prior.run)\n")
        }
        if let severity = r.severity.flatMap(Severity.init(rawValue:)) {
            write("\(severity.rawValue) \(severity.name): \(SeverityResponse(severity).line)\n")
        }
        let params = r.params.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value ?? "null")" }
        if !params.isEmpty { write("params: \(params.joined(separator: " "))\n") }
    }

    private mutating func stepStarted(_ s: StepStarted) {
        depths[s.id] = s.depth
        phases[s.id] = s.phase
        if s.attempt > 1 {
            let of = s.attempts > 0 ? " of \(s.attempts)" : ""
            write("\(indent(s.depth))  ↻ attempt \(s.attempt)\(of)\n")
            return
        }
        if s.depth == 0 { heading(s.phase) }
        let pad = indent(s.depth)
        let title = s.title.map { " — \($0)" } ?? ""
        let alt = s.alternative.map { "  (\($0))" } ?? ""
        let item = s.item.map { " (\($0))" } ?? ""
        write("\(pad)▸ \(s.id)\(item)\(title)  [\(s.readonly ? "read-only" : "mutating")]\(alt)\n")
        if let g = s.guardRecord {
            write("\(pad)    when \(g.expression) → \(g.state.rawValue)\(Self.values(g.values))\n")
        }
        if let display = s.display {
            let prefix = s.action == "run" ? "$ " : ""
            write(
                display.displayLines.enumerated().map { "\(pad)    \($0.offset == 0 ? prefix : "  ")\($0.element)\n" }
                    .joined())
        }
        for (name, value) in s.environment.sorted(by: { $0.key < $1.key }) {
            write("\(pad)    env \(name)=\(value)\n")
        }
        if let items = s.items {
            let count = items.count == 1 ? "1 item" : "\(items.count) items"
            let budget =
                s.phase == .symptoms
                ? "; probes every item"
                : s.maxFailures.map { $0 >= items.count ? "; every item runs" : "; stops once more than \($0) fail" }
                    ?? "; stops at the first that fails"
            let width = s.parallel.map { "; \($0) at a time" } ?? ""
            write(
                "\(pad)    for each of \(count)\(items.isEmpty ? "" : ": " + items.joined(separator: ", "))\(width)\(budget)\n"
            )
        }
        switch (s.attempts, s.within) {
        case (0, let within?): write("\(pad)    retried until it passes, for up to \(within)\n")
        case (let n, let within?): write("\(pad)    up to \(n) attempts within \(within)\n")
        case (let n, nil) where n > 1: write("\(pad)    up to \(n) attempts\n")
        default: break
        }
        if let pending = pendingConfirmation, pending.step == s.id {
            write("\(pad)    \(pending.line)\n")
            pendingConfirmation = nil
        } else if let c = s.confirm {
            write("\(pad)    confirm: \(c)\n")
        }
        for r in s.rollback { write("\(pad)    rollback: \(r)\n") }
    }

    private mutating func resumedStep(_ f: StepFinished, _ r: ResumedStep) {
        if r.depth == 0 { heading(r.phase) }
        let title = r.title.map { " — \($0)" } ?? ""
        let code = f.exitCode.map { ", exit \($0)" } ?? ""
        write("\(indent(r.depth))↺ \(f.id)\(title)  [done in run \(r.run): \(f.status.rawValue)\(code)]\n")
        if let message = f.message { write("\(indent(r.depth))    (\(message))\n") }
    }

    private mutating func stepFinished(_ f: StepFinished, rollback: Bool) {
        if f.status != .planned {
            let phase = phases[f.id]?.rawValue ?? (rollback ? "rollback" : "")
            rows.append(((rollback ? "↶ " : "") + f.id, phase, f.status.rawValue, Self.seconds(f.durationMS)))
        }
        let pad = rollback ? "  " : indent(depths[f.id] ?? 0)
        switch f.status {
        case .planned:
            // Planned steps were shown when they started; only a reason to add is printed.
            if let message = f.message { write("\(pad)    (\(message))\n") }
            return
        case .ok where f.exitCode == nil && f.durationMS == 0 && f.message == nil: return
        default: break
        }
        let mark = f.status == .ok ? "✔" : "✘"
        var facts = [f.status.rawValue]
        if let code = f.exitCode { facts.append("exit \(code)") }
        facts.append(Self.seconds(f.durationMS))
        if f.attempts > 1 { facts.append("\(f.attempts) attempts") }
        var line = "\(pad)  \(mark) \(f.id) \(facts.joined(separator: ", "))"
        if let message = f.message { line += ": \(message)" }
        if !f.leftoverPIDs.isEmpty {
            line += " (left running: \(f.leftoverPIDs.map(String.init).joined(separator: " ")))"
        }
        write(line + "\n")
    }

    /// The phase's heading, before its first step (run or skipped).
    private mutating func heading(_ next: Phase) {
        guard next != phase else { return }
        phase = next
        write("\n\(next.rawValue.uppercased())\n")
    }

    private func indent(_ depth: Int) -> String { String(repeating: "    ", count: depth + 1) }

    static func values(_ values: [String: String]) -> String {
        GuardRecord.text(of: values)
    }

    static func seconds(_ ms: Int) -> String {
        ms < 1000 ? "\(ms)ms" : TimeText.seconds(ms)
    }
}
