import ArgumentParser
import FoundationEssentials
import RunbookEngine
import RunbookSession

/// What `resume` and `rollback` share: reading the earlier run back, and starting the new run
/// where the earlier one ran.
enum InterruptedRunCommand {
    /// The run, or its refusal reported and exit 2.
    static func load(_ runID: String, audit: AuditOptions, force: Bool, console: Console) throws -> InterruptedRun {
        switch InterruptedRun.load(run: runID, auditDir: audit.directory, force: force) {
        case .failure(let refusal):
            console.report(refusal.diagnostics)
            throw ExitCode(.invalidInput)
        case .success(let loaded):
            return loaded
        }
    }

    /// Runs the session in the earlier run's working directory (the audit directory resolved first).
    static func start(
        _ prior: InterruptedRun, options: RunOptions, rollback: Bool, audit: AuditOptions, noWait: Bool, json: Bool,
        console: Console
    ) throws -> Never {
        console.report(prior.warnings)
        let auditDir = URL(fileURLWithPath: audit.directory).standardizedFileURL.path
        prior.enterDirectory(report: console.report)
        var session = RunSession(
            graph: prior.graph, options: options, json: json, write: console.out, note: console.err,
            report: console.report)
        if rollback { session.rollback = prior.history }
        session.statusLine = Console.statusLine()
        let status = try session.start(
            params: prior.inputs(environment: options.environment), probe: false, noWait: noWait, auditDir: auditDir)
        throw ExitCode(status)
    }
}
