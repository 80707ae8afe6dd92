import FoundationEssentials
import RunbookBasics
import RunbookEngine

/// `--dry-run`: executes nothing, asks nothing, plans every option; `--probe` runs read-only commands for real.
package final class DryRunEffects: Effects {
    private let probe: Effects?

    /// With `probe`, read-only commands go to it (a live effects value); everything else is only planned.
    package init(probe: Effects? = nil) {
        self.probe = probe
    }

    package var isInterrupted: Bool { probe?.isInterrupted ?? false }
    package var interruptingSignal: String? { probe?.interruptingSignal }
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
