import Dispatch
import RunbookBasics
import RunbookDiagnostics
import RunbookEvents
import RunbookProcess

/// Renders engine events as the terminal shows them: a readable plan in a dry-run, progress in a live run.
///
/// Events come from the engine and output lines from the step runner's threads; the lock
/// takes them one at a time, so lines of a step never interleave with its header.
///
/// With `statusLine` (a live run at a terminal that takes escape codes), a step that runs
/// longer than a second gets a status line below its output — a spinner, the phase and step,
/// the step's and the run's elapsed time, and the last line it printed — redrawn in place and
/// erased before anything else is written, so the lines above stay exactly what a plain run prints.
package final class RunRenderer: EngineObserver, Sendable {
    private struct Live {
        var text: RunText
        var running: (step: String, phase: String, since: UInt64)?
        var runStarted: UInt64?
        var lastLine = ""
        var showing = false
        var frame = 0
    }

    private let state: Locked<Live>
    /// Where the status line goes: a writer that passes escape codes through (the text in the
    /// line is neutralized here) and the terminal's width.
    package struct StatusLine: Sendable {
        package var write: @Sendable (String) -> Void
        package var columns: Int

        package init(write: @escaping @Sendable (String) -> Void, columns: Int) {
            self.write = write
            self.columns = columns
        }
    }

    private let raw: (@Sendable (String) -> Void)?
    private let columns: Int
    // A dispatch source is safe to cancel from any thread; Swift does not know that.
    private nonisolated(unsafe) let ticker: DispatchSourceTimer?
    private static let frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

    package init(write: @escaping @Sendable (String) -> Void, statusLine: StatusLine? = nil) {
        self.raw = statusLine?.write
        self.columns = statusLine?.columns ?? 80
        state = Locked(Live(text: RunText(write: write)))
        ticker = raw != nil ? DispatchSource.makeTimerSource(queue: DispatchQueue(label: "runbook.status")) : nil
        ticker?.schedule(deadline: .now() + .milliseconds(250), repeating: .milliseconds(250))
        ticker?.setEventHandler { [weak self] in self?.tick() }
        ticker?.resume()
    }

    deinit { ticker?.cancel() }

    package func handle(_ event: EngineEvent) {
        state.withLock { live in
            clear(&live)
            switch event {
            case .runStarted: live.runStarted = Self.now()
            case .stepStarted(let s): live.running = (s.id, s.phase.rawValue, Self.now())
            case .stepFinished, .rollbackFinished, .runFinished: live.running = nil
            default: break
            }
            live.lastLine = ""
            live.text.handle(event)
        }
    }

    /// Lines a step printed, each prefixed with a mark for its stream, in one write.
    package func output(step: String, lines: [String], channel: OutputChannel) {
        state.withLock { live in
            clear(&live)
            live.text.output(step: step, lines: lines, channel: channel)
            if let last = lines.last(where: { !$0.isEmpty }) { live.lastLine = last }
        }
    }

    /// Stops redrawing and erases the status line (before the process prints anything else).
    package func stop() {
        ticker?.cancel()
        state.withLock { clear(&$0) }
    }

    private func tick() {
        state.withLock { live in
            guard let running = live.running, let runStarted = live.runStarted else { return }
            let now = Self.now()
            let stepMS = Int64((now - running.since) / 1_000_000)
            guard stepMS >= 1000 else { return }
            live.frame = (live.frame + 1) % Self.frames.count
            var line =
                "\(Self.frames[live.frame]) \(running.phase) › \(running.step) — \(Self.seconds(stepMS))"
                + " · run \(Self.seconds(Int64((now - runStarted) / 1_000_000)))"
            if !live.lastLine.isEmpty { line += " · \(live.lastLine)" }
            // One terminal line: never wrap, or the erase would leave the wrapped part behind.
            let width = columns
            if line.count > width - 1 { line = String(line.prefix(max(10, width - 2))) + "…" }
            raw?("\r\u{1B}[2K\(line.neutralizingControls)")
            live.showing = true
        }
    }

    private func clear(_ live: inout Live) {
        guard live.showing else { return }
        raw?("\r\u{1B}[2K")
        live.showing = false
    }

    private static func seconds(_ ms: Int64) -> String {
        let tenths = ms / 100
        return tenths < 600 ? "\(tenths / 10).\(tenths % 10)s" : "\(tenths / 600)m\((tenths / 10) % 60)s"
    }

    private static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

}
