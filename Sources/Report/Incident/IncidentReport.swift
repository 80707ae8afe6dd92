import RunbookBasics
import RunbookPlaybook

/// A post-incident document for one run, built only from its audit records (SPEC §7).
///
/// The same value gives the Markdown post-mortem (`markdown()`) and the `--format json` data,
/// so the two never disagree. Secrets are already masked in the records it is built from.
package struct IncidentReport: Encodable, Sendable {
    package var run: String
    package var title: String
    package var playbook: String
    package var file: String
    package var fileSHA256: String?
    /// P1…P4, or nil when the run did not record one.
    package var severity: String?
    /// What the severity promises (response time, customer updates, review), when it is known.
    package var response: SeverityResponse?
    package var mode: String
    package var user: String?
    package var host: String?
    package var params: [String: JSONValue]
    /// RFC 3339 UTC, from the `run.start` record.
    package var started: String
    /// From the `run.end` record; nil when the run never ended (killed, or still running).
    package var ended: String?
    package var durationMS: Int?
    /// The run's outcome (`recovered`, `rolled_back`, …), or `interrupted` without a `run.end` record (`ended` is nil then).
    package var outcome: String
    package var exitCode: Int?
    package var failedStep: String?
    /// Mutating steps that completed without a rollback action, when the run did not recover.
    package var leftInPlace: [String]
    /// Completed steps whose rollback did not run (the run was interrupted or could not record more).
    package var notRolledBack: [String]
    package var timeline: [Event]
    package var steps: [Step]
    package var rollbacks: [Rollback]
    /// The follow-up of the incident process: what to fix from this run, the playbook's
    /// prevention items, and what to improve and document.
    package var actionItems: [ActionItem]
    /// The audit records the report was built from: first and last `seq`, and the last record's hash.
    package var firstSeq: Int
    package var lastSeq: Int
    package var lastHash: String

    /// One row of the timeline: when, which record, and what it says.
    package struct Event: Encodable, Sendable {
        package var time: String
        package var event: String
        package var text: String
    }

    /// One checkbox of the post-mortem's action items, in the incident process's categories.
    package struct ActionItem: Encodable, Sendable, Hashable {
        package enum Category: String, Encodable, Sendable, CaseIterable {
            case fix, prevent, improve, document
        }
        package var category: Category
        package var text: String
    }

    /// A step as the run left it, with who approved it and what was chosen.
    package struct Step: Encodable, Sendable {
        package var id: String
        package var title: String?
        package var phase: String?
        /// ok, failed, timed_out, skipped, declined, planned; `indeterminate` when it started and never ended.
        package var status: String
        package var exitCode: Int?
        package var durationMS: Int?
        package var attempts: Int?
        /// Why it was skipped.
        package var reason: String?
        /// Why it failed, when more than its exit code says (an expectation, a guard error, a timeout).
        package var message: String?
        /// The last bytes of what it wrote to stderr, when it did not succeed.
        package var stderrTail: String?
        /// The confirmation's answer and who gave it (`--yes`, or the operator).
        package var answer: String?
        package var approvedBy: String?
        /// For a `choose` step: the option taken and by whom.
        package var option: String?
        package var chosenBy: String?
        /// For one run of a fan-out: its item, and the host it ran on (`on:`).
        package var item: String?
        package var host: String?
    }

    /// A rollback action that ran (or started) for a completed step.
    package struct Rollback: Encodable, Sendable {
        package var id: String
        /// The step it undoes (`for` in the audit record and in JSON).
        package var forStep: String
        package var command: String?
        /// ok, failed, timed_out; `indeterminate` when it started and never ended.
        package var status: String
        package var exitCode: Int?
        package var durationMS: Int?
        /// The host it ran on, for a step that ran on one (`on:`).
        package var host: String?

        enum CodingKeys: String, CodingKey {
            case id, forStep = "for", command, status, exitCode, durationMS, host
        }
    }
}
