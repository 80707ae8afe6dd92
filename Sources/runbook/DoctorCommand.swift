import ArgumentParser
import FoundationEssentials
import RunbookBasics
import RunbookPlaybook
import RunbookReport
import RunbookSession

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check what a run needs here: libyaml, a terminal, the audit and lock directories, the playbooks.",
        discussion: "Exit status 0 when nothing stops a run, 1 when something does (each finding says what to do).")

    @OptionGroup var audit: AuditOptions
    @Flag(help: "Print the findings as JSON.") var json = false

    func run() throws {
        let console = Console()
        let findings = Doctor.run(
            auditDirectory: audit.directory, environment: ProcessEnvironment.current,
            library: .standard())
        if json {
            console.out(JSONOutput.encode(findings))
        } else {
            let width = findings.map(\.check.count).max() ?? 0
            var text = ""
            for finding in findings {
                let mark = ["ok": "ok     ", "warning": "warning", "problem": "PROBLEM"][finding.level.rawValue]!
                text +=
                    "\(mark)  \(finding.check.padded(to: width))  \(finding.detail)\n"
                if let fix = finding.fix, finding.level != .ok {
                    text += "         \(String(repeating: " ", count: width))  → \(fix)\n"
                }
            }
            console.out(text)
        }
        if findings.contains(where: { $0.level == .problem }) { throw ExitCode(.failed) }
    }
}
