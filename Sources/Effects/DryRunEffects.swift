import FoundationEssentials
import RunbookBasics
import RunbookEngine
import RunbookProcess

/// `--dry-run`: executes nothing, asks nothing, plans every option; `--probe` runs read-only commands for real.
package final class DryRunEffects: Effects {
    private let probe: Effects?
    private let interruption: Interruption?

    /// With `probe`, read-only commands go to it (a live effects value); everything else is only
    /// planned. `interruption` (Ctrl-C, SIGTERM, SIGHUP) stops a plan without probes between two
    /// steps, as it stops a live run: a plan of many steps takes seconds.
    package init(probe: Effects? = nil, interruption: Interruption? = nil) {
        self.probe = probe
        self.interruption = interruption
    }

    package var isInterrupted: Bool { probe?.isInterrupted ?? interruption?.isInterrupted ?? false }
    package var interruptingSignal: String? {
        probe?.interruptingSignal ?? interruption?.signal.map(Interruption.name(of:))
    }
    package var stopReason: String? { probe?.stopReason }

    package func execute(_ command: CommandInvocation) -> Execution {
        guard command.readonly, let probe else { return .notRun(reason: nil) }
        if let reason = command.notProbed { return .notRun(reason: reason) }
        return probe.execute(command)
    }

    package func confirm(_ request: ConfirmationRequest) -> ConfirmationAnswer { .notAsked }
    package func choose(_ request: ChoiceRequest) -> ChoiceAnswer { .every }
    package func performManual(_ request: ManualRequest) -> ManualAnswer { .notAsked }
    package func rollbackAfterInterrupt() -> Bool { false }
    package func sleep(_ duration: TimeSpan) -> Bool { false }
    package func now() -> Date { Date() }
}
