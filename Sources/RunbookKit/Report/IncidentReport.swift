/// A post-incident document for one run, built only from its audit records (SPEC §7).
///
/// The same value gives the Markdown post-mortem (`markdown()`) and the `--format json` data,
/// so the two never disagree. Secrets are already masked in the records it is built from.
public struct IncidentReport: Encodable, Sendable {
    public var run: String
    public var title: String
    public var playbook: String
    public var file: String
    public var fileSHA256: String?
    /// P1…P4, or nil when the run did not record one.
    public var severity: String?
    public var mode: String
    public var user: String?
    public var host: String?
    public var params: [String: JSONValue]
    /// RFC 3339 UTC, from the `run.start` record.
    public var started: String
    /// From the `run.end` record; nil when the run never ended (killed, or still running).
    public var ended: String?
    public var durationMS: Int?
    /// The run's outcome (`recovered`, `rolled_back`, …), or `unfinished` without a `run.end` record.
    public var outcome: String
    public var exitCode: Int?
    public var failedStep: String?
    public var timeline: [Event]
    public var steps: [Step]
    public var rollbacks: [Rollback]
    /// The playbook's prevention items, as recorded when the run started.
    public var actionItems: [String]
    /// The audit records the report was built from: first and last `seq`, and the last record's hash.
    public var firstSeq: Int
    public var lastSeq: Int
    public var lastHash: String

    /// One row of the timeline: when, which record, and what it says.
    public struct Event: Encodable, Sendable {
        public var time: String
        public var event: String
        public var text: String
    }

    /// A step as the run left it, with who approved it and what was chosen.
    public struct Step: Encodable, Sendable {
        public var id: String
        public var title: String?
        public var phase: String?
        /// ok, failed, timed_out, skipped, declined, planned; `indeterminate` when it started and never ended.
        public var status: String
        public var exitCode: Int?
        public var durationMS: Int?
        public var attempts: Int?
        /// Why it was skipped.
        public var reason: String?
        /// The confirmation's answer and who gave it (`--yes`, or the operator).
        public var answer: String?
        public var approvedBy: String?
        /// For a `choose` step: the option taken and by whom.
        public var option: String?
        public var chosenBy: String?
    }

    /// A rollback action that ran (or started) for a completed step.
    public struct Rollback: Encodable, Sendable {
        public var id: String
        public var forStep: String
        public var command: String?
        /// ok, failed, timed_out; `indeterminate` when it started and never ended.
        public var status: String
        public var exitCode: Int?
        public var durationMS: Int?
    }
}
