import FoundationEssentials
import RunbookEvents

extension GameDayResult {
    /// The scorecard `runbook gameday` prints after the revert.
    package var scorecard: String {
        func seconds(_ ms: Int?) -> String { ms.map(TimeText.seconds) ?? "—" }
        var out = "\nGAME DAY SCORECARD\n"
        if refused {
            return out + "  refused: a symptom was present before anything was injected (not at steady state)\n"
        }
        if let stoppedBy { out += "  stopped by: stop condition '\(stoppedBy)' (the fault was reverted at once)\n" }
        out += "  detected: \(detectMS == nil ? "no" : "yes, after \(seconds(detectMS))")\n"
        out += "  recovery: \(recovery?.rawValue ?? "did not run")"
        out += recoverMS.map { _ in ", in \(seconds(recoverMS))" } ?? ""
        out += "\n  reverted: \(reverted ? "yes" : "no")\n"
        out += "  back to steady state: \(steadyAfter ? "yes" : "no")\n"
        out += "  result: \(succeeded ? "passed" : "FAILED") — exit \(finished.exitStatus.rawValue)\n"
        return out
    }
}

/// `runbook gameday --json`: the scorecard's facts.
package struct GameDayCard: Encodable, Sendable {
    var passed: Bool
    var refused: Bool
    var injected: Bool
    var detectMS: Int?
    var recoverMS: Int?
    var recovery: String?
    var reverted: Bool
    var steadyAfter: Bool
    var stoppedBy: String?
    var outcome: String

    package init(_ day: GameDayResult) {
        passed = day.succeeded
        refused = day.refused
        injected = day.injected
        detectMS = day.detectMS
        recoverMS = day.recoverMS
        recovery = day.recovery?.rawValue
        reverted = day.reverted
        steadyAfter = day.steadyAfter
        stoppedBy = day.stoppedBy
        outcome = day.finished.outcome.rawValue
    }
}
