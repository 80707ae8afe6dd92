import ArgumentParser

@main
struct Runbook: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runbook",
        abstract: "Run incident playbooks with guards, confirmations, dry-run, rollback and an audit trail.",
        discussion: """
            Playbooks are looked up by id in ./playbooks, then in each folder of $RUNBOOK_PATH \
            (colon-separated); a path to a file is used as it is.
            """,
        version: "0.1.0",
        subcommands: [
            ListCommand.self, ShowCommand.self, ValidateCommand.self, RunCommand.self, AuditCommand.self,
            ReportCommand.self,
        ])
}
