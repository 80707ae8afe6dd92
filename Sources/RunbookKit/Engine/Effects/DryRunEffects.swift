import Foundation

/// `--dry-run`: executes nothing, asks nothing, plans every option; `--probe` runs read-only commands for real.
public final class DryRunEffects: Effects {
    private let probe: Effects?

    /// With `probe`, read-only commands go to it (a live effects value); everything else is only planned.
    public init(probe: Effects? = nil) {
        self.probe = probe
    }

    public var isInterrupted: Bool { probe?.isInterrupted ?? false }
    public var interruptingSignal: String? { probe?.interruptingSignal }
    public var stopReason: String? { probe?.stopReason }

    public func execute(_ command: CommandInvocation) -> Execution {
        guard command.readonly, let probe else { return .notRun }
        return probe.execute(command)
    }

    public func confirm(_ request: ConfirmationRequest) -> ConfirmationAnswer { .notAsked }
    public func choose(_ request: ChoiceRequest) -> ChoiceAnswer { .every }
    public func performManual(_ request: ManualRequest) -> ManualAnswer { .notAsked }
    public func rollbackAfterInterrupt() -> Bool { false }
    public func sleep(_ duration: TimeSpan) -> Bool { false }
    public func now() -> Date { Date() }
}
