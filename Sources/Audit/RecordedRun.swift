import RunbookBasics

/// A run read back from its audit records: what `resume` and `rollback` start from
/// (README: interrupted runs). Secret params are masked in the records and are not here;
/// they come from the param's `env:` or the operator again.
package struct RecordedRun: Sendable, Equatable {
    /// A step that ended, with what later steps and rollbacks read from it.
    package struct Ended: Sendable, Equatable {
        package var id: String
        package var status: String
        package var exitCode: Int?
        package var outputs: [String: String]
        /// The type of each output that was not a string.
        package var outputTypes: [String: String]
        /// The `seq` of its `step.end`: the order steps completed in.
        package var seq: Int
    }

    package var run: String
    package var playbook: String
    /// The playbook as named at the time, and its absolute path (absent in records older than `path`).
    package var file: String
    package var path: String?
    package var fileSHA256: String?
    /// The working directory the run's commands ran in.
    package var directory: String?
    /// Param values as recorded; secrets show as `***` and are listed in `maskedParams`.
    package var params: [String: JSONValue]
    /// Steps with a `step.end`, in the order they ended (retries keep their last end).
    package var ended: [Ended]
    /// Steps that started and never ended: indeterminate, for the operator to decide.
    package var indeterminate: [String]
    /// Steps skipped by their guard.
    package var skipped: Set<String>
    /// Each started step's definition digest (`step.start.definition`): what `--force` compares.
    package var definitions: [String: String]
    /// True when the run had begun rolling back (a `rollback.start`).
    package var wasRollingBack: Bool
    /// Rollback actions that ended ok, by action id (`ID.rollback`, `ID.rollback.2`).
    package var rolledBack: Set<String>
    /// The items of each step with `foreach`, as its `step.start` recorded them.
    package var items: [String: [String]] = [:]
    /// The option taken at each `choose` step, and each confirmation's answer.
    package var choices: [String: String]
    package var answers: [String: String]
    /// The run's end status, or nil when it has no `run.end`.
    package var outcome: String?
    /// The run that resumed this one, if any (it carries this run's ended steps forward).
    package var resumedBy: String?

    /// Nil when `records` hold no `run.start` of `run`.
    package init?(run: String, records: [[String: JSONValue]]) {
        let mine = records.filter { $0["run"]?.string == run }
        guard let start = mine.first(where: { $0.event == .runStart }) else { return nil }
        self.run = run
        playbook = start["playbook"]?.string ?? "?"
        file = start["file"]?.string ?? "?"
        path = start["path"]?.string
        fileSHA256 = start["file_sha256"]?.string
        directory = start["cwd"]?.string
        params = start["params"]?.objectFields ?? [:]
        ended = []
        rolledBack = []
        choices = [:]
        answers = [:]
        skipped = []
        definitions = [:]
        wasRollingBack = false
        var open: [String] = []
        for record in mine {
            let step = record["step"]?.string ?? ""
            switch record.event {
            case .stepStart:
                if !open.contains(step) { open.append(step) }
                if let definition = record["definition"]?.string { definitions[step] = definition }
                if case .array(let list)? = record["items"] { items[step] = list.compactMap(\.string) }
            case .stepSkip:
                skipped.insert(step)
            case .rollbackStart:
                wasRollingBack = true
            case .stepEnd:
                open.removeAll { $0 == step }
                ended.removeAll { $0.id == step }
                let outputs = (record["outputs"]?.objectFields ?? [:]).compactMapValues(\.string)
                ended.append(
                    Ended(
                        id: step, status: record["status"]?.string ?? "?", exitCode: record["exit_code"]?.int,
                        outputs: outputs,
                        outputTypes: (record["output_types"]?.objectFields ?? [:]).compactMapValues(\.string),
                        seq: record["seq"]?.int ?? 0))
            case .rollbackEnd:
                if record["status"]?.string == "ok" { rolledBack.insert(step) }
            case .choose:
                if let option = record["option"]?.string { choices[step] = option }
            case .confirm:
                if let answer = record["answer"]?.string { answers[step] = answer }
            default:
                break
            }
        }
        indeterminate = open
        outcome = mine.last { $0.event == .runEnd }?["status"]?.string
        // What later `runbook rollback` runs of this run already undid is not undone again.
        let followUps = Set(
            records.filter { $0.event == .runStart && $0["rolls_back"]?.string == run }.compactMap { $0["run"]?.string }
        )
        resumedBy = records.last { $0.event == .runStart && $0["resumes"]?.string == run }?["run"]?.string
        for record in records where record.event == .rollbackEnd && record["status"]?.string == "ok" {
            if let follow = record["run"]?.string, followUps.contains(follow), let step = record["step"]?.string {
                rolledBack.insert(step)
            }
        }
    }

    /// Params whose recorded value is masked: they must be supplied again.
    package var maskedParams: [String] {
        params.filter { $0.value.string == "***" }.map(\.key).sorted()
    }
}
