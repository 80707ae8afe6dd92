/// What expressions can read about one step: `steps.ID.*`, or the bare names inside the step's own checks.
package struct StepResult: Sendable, Hashable {
    /// The step's status as expressions see it (`steps.ID.status`): one of SPEC §1.3's five.
    package var status: StepStatus
    /// Null when the step ran no process (skipped, pending, manual, assert…).
    package var exitCode: Int?
    package var stdout: String?
    package var stderr: String?
    /// True when `stdout` / `stderr` hold only the first 1 MiB of a longer stream.
    package var stdoutTruncated = false
    package var stderrTruncated = false
    /// Seconds; null when the step did not run.
    package var duration: Double?
    package var outputs: [String: Value]

    package init(
        status: StepStatus, exitCode: Int? = nil, stdout: String? = nil, stderr: String? = nil,
        duration: Double? = nil, outputs: [String: Value] = [:]
    ) {
        self.status = status
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
        self.duration = duration
        self.outputs = outputs
    }

    /// The result of a step that has not run.
    package static let pending = StepResult(status: .pending)

    /// The value of a field (`status`, `ok`, `exit_code`, `stdout`, `stderr`, `duration`); nil for an unknown field.
    package func field(_ name: String) -> Value? {
        switch name {
        case "status": return .string(status.rawValue)
        case "ok": return .bool(status == .ok)
        case "exit_code": return exitCode.map { .number(Double($0)) } ?? .null
        case "stdout": return stdout.map(Value.string) ?? .null
        case "stderr": return stderr.map(Value.string) ?? .null
        case "duration": return duration.map(Value.number) ?? .null
        case "stdout_truncated": return .bool(stdoutTruncated)
        case "stderr_truncated": return .bool(stderrTruncated)
        default: return nil
        }
    }
}
