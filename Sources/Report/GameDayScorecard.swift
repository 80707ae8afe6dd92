import Foundation
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
