/// One playbook's verdict in `runbook triage`.
package struct TriageResult: Encodable, Sendable {
    package struct Evidence: Encodable, Sendable {
        package var step: String
        package var title: String?
        package var command: String?
        /// The expectation that held (`exit_code == 0` when the step gives none).
        package var expect: String
        /// The first lines of what the probe printed.
        package var output: [String]

        package init(step: String, title: String?, command: String?, expect: String, output: [String]) {
            self.step = step
            self.title = title
            self.command = command
            self.expect = expect
            self.output = output
        }
    }

    package enum Verdict: String, Encodable, Sendable {
        case match, noMatch = "no_match", notProbed = "not_probed", interrupted
    }

    package var playbook: String
    package var title: String
    package var file: String
    package var severity: String?
    package var verdict: Verdict
    /// Symptom probes that ran, and those that found their symptom.
    package var probes: Int
    package var evidence: [Evidence]
    /// Why a playbook was not probed.
    package var note: String?
    /// The audited triage run, and the command to look further.
    package var run: String?
    package var next: String?
    /// Firing alerts that name this playbook (`triage --alert`), and the params their labels gave.
    package var alerts: [String] = []
    package var params: [String: String] = [:]

    package init(playbook: String, title: String, file: String, severity: String?) {
        self.playbook = playbook
        self.title = title
        self.file = file
        self.severity = severity
        self.verdict = .notProbed
        self.probes = 0
        self.evidence = []
    }
}

/// The triage ranking for a person: matches first with their evidence and the command to
/// start with, then one line each for the rest.
package enum TriageText {
    package static func render(_ results: [TriageResult]) -> String {
        let matches = results.filter { $0.verdict == .match }
        var out = matches.isEmpty ? "No playbook's symptoms are present.\n" : ""
        for (n, r) in matches.enumerated() {
            let severity = r.severity.map { " [\($0)]" } ?? ""
            out +=
                "\(n + 1). \(r.playbook)\(severity) — \(r.title): \(r.evidence.count) of \(r.probes) symptoms present\n"
            if !r.alerts.isEmpty { out += "   alert: \(r.alerts.joined(separator: ", "))\n" }
            for e in r.evidence {
                out += "     ✔ \(e.step)\(e.title.map { " — \($0)" } ?? "")\n"
                if let command = e.command { out += "       $ \(command.oneLine)\n" }
                for line in e.output { out += "       │ \(line)\n" }
                out += "       held: \(e.expect)\n"
            }
            if let next = r.next { out += "   start with: \(next)\n" }
            out += "\n"
        }
        let rest = results.filter { $0.verdict != .match }
        if !rest.isEmpty {
            out += "Not matching:\n"
            let width = rest.map(\.playbook.count).max() ?? 0
            for r in rest {
                let why: String
                switch r.verdict {
                case .noMatch:
                    why =
                        "no symptom present (\(r.probes) probed)"
                        + (r.alerts.isEmpty
                            ? "" : "; alert \(r.alerts.joined(separator: ", ")) names it: \(r.next ?? "")")
                case .notProbed: why = "not probed: \(r.note ?? "?")"
                case .interrupted: why = "interrupted"
                case .match: why = ""
                }
                out += "  \(r.playbook.padded(to: width))  \(why)\n"
            }
        }
        let runs = results.compactMap(\.run)
        if !runs.isEmpty {
            out += (rest.isEmpty ? "" : "\n") + "audit: \(runs.count) triage runs (runbook audit list)\n"
        }
        return out
    }
}
