import FoundationEssentials
import RunbookAudit

extension AuditReader.RunSummary {
    /// Aligned columns for `runbook audit list`: RUN, PLAYBOOK, MODE, START, DURATION, OUTCOME.
    package static func table(_ runs: [AuditReader.RunSummary]) -> String {
        var out =
            "RUN".padding(26) + " " + "PLAYBOOK".padding(19) + " " + "MODE".padding(9) + " "
            + "START".padding(25) + " " + "DURATION".padding(9) + " OUTCOME\n"
        for r in runs {
            let duration = r.durationMS.map(TimeText.seconds) ?? "-"
            out +=
                [
                    r.run.padding(26), r.playbook.padding(19), r.mode.padding(9), r.start.padding(25),
                    duration.padding(9),
                    r.outcome,
                ].joined(separator: " ") + "\n"
        }
        return out
    }
}
