/// How a run treats the world; raw values are the audit's `mode` strings.
package enum RunMode: String, Sendable, Hashable, CaseIterable {
    case live
    case dryRun = "dry-run"
    case rehearsal
    case gameday
    /// `runbook triage`: only the symptom probes, to see which playbook fits what is happening.
    case triage
}
