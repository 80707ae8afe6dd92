import RunbookEvents
import RunbookProcess
import Synchronization

/// Renders engine events as the terminal shows them: a readable plan in a dry-run, progress in a live run.
///
/// Events come from the engine and output lines from the step runner's threads; the lock
/// takes them one at a time, so lines of a step never interleave with its header.
package final class RunRenderer: EngineObserver, Sendable {
    private let text: Mutex<RunText>

    package init(write: @escaping @Sendable (String) -> Void) {
        text = Mutex(RunText(write: write))
    }

    package func handle(_ event: EngineEvent) {
        text.withLock { $0.handle(event) }
    }

    /// Lines a step printed, each prefixed with a mark for its stream, in one write.
    package func output(step: String, lines: [String], channel: OutputChannel) {
        text.withLock { $0.output(step: step, lines: lines, channel: channel) }
    }
}
