import Dispatch
import FoundationEssentials
import Glibc
import RunbookBasics
import RunbookEngine
import RunbookProcess

/// A live run: real processes in their own process groups, the operator at `/dev/tty`, the real clock.
package final class LiveEffects: Effects {
    /// The game day's stop conditions, while they are checked.
    private var stopWatch: ConditionWatch?
    let runner: ProcessRunner
    let terminal: Terminal?
    let interruption: Interruption
    let output: @Sendable (String, [String], OutputChannel) -> Void
    /// Why nothing more may start (the audit trail cannot be written), or nil.
    package var auditFailure: () -> String? = { nil }
    /// Called before the run waits for a person or a delay: records written since the last
    /// fsync become durable first (see `AuditLog`).
    package var beforeWaiting: () -> Void = {}
    package var stopReason: String? { auditFailure() }
    private var recordedSignal: String?
    private let user: String
    /// The run's ssh connections, made when a step first runs on a host (items of a `parallel:`
    /// fan-out may ask at once).
    private let connections = Locked<SSHConnections?>(nil)

    /// `output` receives the complete lines a step prints, a chunk at a time (step id, lines, channel), secrets already masked.
    package init(
        terminal: Terminal?, interruption: Interruption, runner: ProcessRunner = ProcessRunner(),
        output: @escaping @Sendable (String, [String], OutputChannel) -> Void
    ) {
        self.terminal = terminal
        self.interruption = interruption
        self.runner = runner
        self.output = output
        user = OperatorName.current()
    }

    package var isInterrupted: Bool { interruption.isInterrupted }

    deinit { closeConnections() }

    /// Ends the run's ssh masters and removes their directory; called when the run is over,
    /// not left to `deinit` (the last reference to a run's effects may be let go of on
    /// another thread while the process exits). A later remote step would connect anew.
    package func closeConnections() {
        connections.withLock { made in
            defer { made = nil }
            return made
        }?.closeAll(environment: ProcessEnvironment.current)
    }

    package var runsConcurrently: Bool { true }

    package func execute(_ command: CommandInvocation) -> Execution {
        if let reason = stopReason {
            // No process starts without its step.start record on disk.
            let empty = CapturedOutput(whole: "")
            return .ran(ProcessOutcome(startError: reason, stdout: empty, stderr: empty))
        }
        let lines = LineStreamer(stepID: command.stepID, masker: .forCapturedOutput(command.secrets), sink: output)
        // Items running side by side cannot share the terminal: none of them is in its foreground.
        var request = ProcessRequest(command, foreground: !command.concurrent && terminal?.isForeground == true)
        if let host = command.target {
            let orphans = runner.orphans
            let shared = connections.withLock { made in
                if made == nil { made = SSHConnections(orphans: orphans) }
                return made
            }
            let target: any Target =
                shared?.target(for: host, environment: command.environment)
                ?? SSHTarget(host: host, controlPath: nil)
            // A remote command gets no terminal: its stdin is what tells it the step has ended.
            request.foreground = false
            request = target.request(for: request, exports: command.exports)
        }
        let outcome = runner.run(request, observer: lines, interruption: interruption)
        lines.flush()
        // A step in the terminal's foreground group receives Ctrl-C itself; treat that as the operator's interrupt.
        if request.foreground, outcome.signal == SIGINT { interruption.interrupt() }
        return .ran(outcome)
    }

    package func confirm(_ request: ConfirmationRequest) -> ConfirmationAnswer {
        guard let terminal else { return .declined(by: "no terminal") }
        var text = "\n  step \(request.stepID) (\(request.readonly ? "read-only" : "changes the system"))\n"
        if let command = request.command { text += Self.indented(command) }
        for (name, value) in request.environment.sorted(by: { $0.key < $1.key }) {
            text += "    env \(name)=\(value)\n"
        }
        for r in request.rollback { text += "    rollback: \(r)\n" }
        if let phrase = request.phrase {
            let shown = request.phraseShown ?? phrase
            let question =
                request.attempt == 1
                ? text + "  \(request.prompt)\n  Type '\(shown)' to proceed: "
                : "  That did not match. Type '\(shown)' to proceed "
                    + "(try \(request.attempt) of \(ConfirmationRequest.phraseAttempts); empty to decline): "
            guard let answer = ask(terminal, question), !answer.isEmpty else { return .declined(by: user) }
            return answer == phrase ? .approved(by: user) : .mistyped(by: user, typed: answer)
        }
        let answer = ask(terminal, text + "  \(request.prompt) [y/N] ")?.lowercased()
        return answer == "y" || answer == "yes" ? .approved(by: user) : .declined(by: user)
    }

    package func choose(_ request: ChoiceRequest) -> ChoiceAnswer {
        guard let terminal else {
            return request.defaultOption.map { .option($0, by: "default") } ?? .undecided
        }
        var text = "\n  \(request.title ?? request.stepID): choose one\n"
        for (i, option) in request.options.enumerated() {
            text += "    \(i + 1)) \(option.name)\(option.title.map { " — \($0)" } ?? "")"
            text += option.name == request.defaultOption ? " (default)\n" : "\n"
        }
        while true {
            guard let answer = ask(terminal, text + "  number or name: ") else { return .undecided }
            if answer.isEmpty, let d = request.defaultOption { return .option(d, by: user) }
            if let n = Int(answer), n >= 1, n <= request.options.count {
                return .option(request.options[n - 1].name, by: user)
            }
            if request.options.contains(where: { $0.name == answer }) { return .option(answer, by: user) }
            text = "  '\(answer)' is not one of the options.\n"
        }
    }

    package func performManual(_ request: ManualRequest) -> ManualAnswer {
        guard let terminal else { return .declined(by: "no terminal") }
        let text =
            "\n  manual step \(request.stepID)\(request.title.map { ": \($0)" } ?? "")\n"
            + Self.indented(request.instructions)
        let answer = ask(terminal, text + "  Type 'done' when finished (anything else \(request.ifNotDone)): ")
        return answer?.lowercased() == "done" ? .done(by: user) : .declined(by: user)
    }

    /// Each line of a command or instructions under the step's heading.
    private static func indented(_ text: String) -> String {
        text.displayLines.map { "    \($0)\n" }.joined()
    }

    private func ask(_ terminal: Terminal, _ question: String) -> String? {
        beforeWaiting()
        return terminal.ask(question)
    }

    package var interruptingSignal: String? {
        recordedSignal ?? interruption.signal.map(Interruption.name(of:))
    }

    /// Ctrl-C asks the operator (without a terminal, rolls back). Nothing is rolled back when
    /// the audit trail cannot record it, after SIGTERM (runbook was asked to stop) or SIGHUP
    /// (the terminal is gone), or when a second interrupt comes during the question: the
    /// completed steps are left for `runbook rollback RUN_ID`.
    package func rollbackAfterInterrupt() -> Bool {
        recordedSignal = interruptingSignal
        // A fired stop condition reverts the game day at once; nothing else is undone or asked.
        if stopWatch?.fired != nil { return false }
        if stopReason != nil { return false }
        if let signal = interruption.signal, signal != SIGINT { return false }
        interruption.reset()
        guard let terminal else { return true }
        let answer = ask(terminal, "\n  Interrupted. Roll back the completed steps? [Y/n] ")?.lowercased()
        if interruption.isInterrupted { return false }
        return answer != "n" && answer != "no"
    }

    package func watch(_ conditions: [StopCondition], every interval: TimeSpan) -> StopWatch? {
        guard !conditions.isEmpty else { return nil }
        let watch = ConditionWatch(conditions: conditions, interval: interval, interruption: interruption)
        stopWatch = watch
        return watch
    }

    /// Ctrl-C: yes, the injected fault is undone without asking. Not after SIGTERM or SIGHUP
    /// (runbook was asked to stop, or the terminal is gone) nor when nothing may be recorded.
    package func revertAfterInterrupt() -> Bool {
        recordedSignal = interruptingSignal
        if stopReason != nil { return false }
        if let signal = interruption.signal, signal != SIGINT { return false }
        interruption.reset()
        return true
    }

    package func sleep(_ duration: TimeSpan) -> Bool {
        beforeWaiting()
        // Sleep in slices so Ctrl-C is noticed promptly.
        let end = Date().addingTimeInterval(duration.seconds)
        while !interruption.isInterrupted, Date() < end {
            Threads.sleep(seconds: min(0.1, end.timeIntervalSinceNow))
        }
        return true
    }

    package func now() -> Date { Date() }
}

/// Turns a step's output chunks into masked lines for the terminal, handed on a chunk at a
/// time so a step printing millions of lines costs one write per chunk, not per line.
final class LineStreamer: OutputObserver, Sendable {
    private let stepID: String
    private let masker: SecretMasker
    private let sink: @Sendable (String, [String], OutputChannel) -> Void
    /// The unfinished last line of each stream; chunks of stdout and stderr arrive on two threads.
    private let pending = Locked<Pending>(Pending())

    /// Each stream's unfinished line.
    private struct Pending {
        var stdout: [UInt8] = []
        var stderr: [UInt8] = []

        subscript(channel: OutputChannel) -> [UInt8] {
            get { channel == .stdout ? stdout : stderr }
            set { if channel == .stdout { stdout = newValue } else { stderr = newValue } }
        }
    }

    init(stepID: String, masker: SecretMasker, sink: @escaping @Sendable (String, [String], OutputChannel) -> Void) {
        self.stepID = stepID
        self.masker = masker
        self.sink = sink
    }

    func output(_ bytes: UnsafeRawBufferPointer, from channel: OutputChannel) {
        pending.withLock { pending in append(bytes, from: channel, to: &pending) }
    }

    /// Hands on the complete lines; the sink is called under the lock so lines keep their order.
    private func append(
        _ bytes: UnsafeRawBufferPointer, from channel: OutputChannel, to pending: inout Pending
    ) {
        var buffer = pending[channel]
        buffer.append(contentsOf: bytes)
        var lines: [String] = []
        var start = buffer.startIndex
        while let newline = Self.newline(in: buffer, from: start) {
            lines.append(text(buffer[start..<newline]))
            start = newline + 1
        }
        buffer.removeSubrange(..<start)
        // Very long lines are shown in pieces so memory stays bounded.
        if buffer.count > 64 * 1024 {
            lines.append(text(buffer[...]))
            buffer.removeAll()
        }
        pending[channel] = buffer
        if !lines.isEmpty { sink(stepID, lines, channel) }
    }

    /// The index of the next newline at or after `start` (memchr: output passes here at full speed).
    private static func newline(in buffer: [UInt8], from start: Int) -> Int? {
        buffer.withUnsafeBufferPointer { all in
            guard start < all.count, let base = all.baseAddress,
                let found = memchr(base + start, Int32(UInt8(ascii: "\n")), all.count - start)
            else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    func flush() {
        pending.withLock { pending in
            for channel in [OutputChannel.stdout, .stderr] where !pending[channel].isEmpty {
                sink(stepID, [text(pending[channel][...])], channel)
            }
            pending = Pending()
        }
    }

    private func text(_ line: ArraySlice<UInt8>) -> String {
        masker.mask(String(decoding: line, as: UTF8.self))
    }
}

/// Checks stop conditions on a thread of its own, every interval, and interrupts the run
/// when one fails (its probes run in their own process groups, like steps).
final class ConditionWatch: StopWatch {
    private let state = Locked<(stopped: Bool, fired: String?)>((false, nil))
    private let finished = DispatchSemaphore(value: 0)

    init(conditions: [StopCondition], interval: TimeSpan, interruption: Interruption) {
        let runner = ProcessRunner()
        Threads.detach { [self] in
            defer { finished.signal() }
            while true {
                let end = Date().addingTimeInterval(interval.seconds)
                while Date() < end {
                    if state.withLock({ $0.stopped }) { return }
                    Threads.sleep(seconds: min(0.1, max(0, end.timeIntervalSinceNow)))
                }
                for condition in conditions {
                    if state.withLock({ $0.stopped }) { return }
                    var request = ProcessRequest(condition.command, foreground: false)
                    request.timeout = request.timeout ?? .seconds(30)
                    let outcome = runner.run(request, observer: nil, interruption: nil)
                    if !condition.holds(outcome) {
                        state.withLock { $0.fired = condition.id }
                        interruption.interrupt()
                        return
                    }
                }
            }
        }
    }

    func stop() {
        let first = state.withLock { state -> Bool in
            defer { state.stopped = true }
            return !state.stopped
        }
        if first { finished.wait() }
    }

    var fired: String? { state.withLock { $0.fired } }
}

extension ProcessRequest {
    /// The process an invocation starts.
    init(_ command: CommandInvocation, foreground: Bool) {
        self.init(
            argv: command.argv, environment: command.environment, workingDirectory: command.workingDirectory,
            timeout: command.timeout, detach: command.detach, foreground: foreground)
    }
}
