import FoundationEssentials
import RunbookBasics
import RunbookEvents

/// The audit trail as an engine observer: every event becomes one durable, chained record.
///
/// `step.start` is written (and fsynced) before the step's process starts, because the
/// engine reports it before asking the effects to execute. Records that no effect follows at
/// once (`run.start`, `step.end`, skips, answers, notes) are written at once and become durable with the next
/// record that precedes an effect — the next `step.start` or `rollback.start`, `run.end` — or
/// before the run waits for a person (`sync()`): one fsync per step instead of two (group commit).
package final class AuditLog: EngineObserver {
    package var file: AuditFile { recorder.file }
    package var runID: String { recorder.runID }
    private let recorder: Recorder
    /// Set by `holdRecords()`: records built on another thread, a batch at a time.
    private var batches: SerialBatches<EngineEvent>?
    /// The chain head after this run's last record on disk (held records count once written).
    package var head: (seq: Int, hash: String)? {
        batches?.drain()
        return recorder.writing.withLock { _ in file.head }
    }
    /// The first record that could not be written, or nil.
    package var failure: AuditError? {
        batches?.drain()
        return recorder.firstFailure.withLock { $0 }
    }
    /// Called after every record that could not be written, so the run can stop before its next step.
    package var onFailure: (() -> Void)? {
        get { recorder.onFailure.withLock { $0 } }
        set { recorder.onFailure.withLock { $0 = newValue } }
    }

    /// `context` is added to `run.start` (file digest, user, host, argv).
    package init(file: AuditFile, runID: String, secrets: [String], key: String?, context: [String: JSONValue]) {
        recorder = Recorder(
            file: file, runID: runID, masker: SecretMasker(secrets: secrets), key: key, context: context)
    }

    deinit {
        // Records still queued are written, not dropped.
        batches?.drain()
    }

    /// For a run that records no effect (a plan without probes, a rehearsal): its records are
    /// built — masked, encoded — on another processor while the engine plans on, chained and
    /// written in batches (`AuditFile.holdsRecords`), and made durable with one fsync at its end
    /// (or before it waits for a person). `failure`, `head` and `sync()` wait for the records
    /// handed over before them.
    package func holdRecords() {
        file.syncEachRecord = false
        file.holdsRecords = true
        let recorder = recorder
        batches = SerialBatches(size: 32) { events in
            recorder.writing.withLock { _ in
                for event in events { recorder.record(event) }
            }
        }
    }

    package func handle(_ event: EngineEvent) {
        if let batches {
            batches.add(event)
        } else {
            recorder.writing.withLock { _ in recorder.record(event) }
        }
    }

    /// Makes every record written so far durable: before the run waits for an answer, so nothing
    /// a person sees as done is only in memory while they think.
    package func sync() {
        batches?.drain()
        recorder.writing.withLock { _ in recorder.keepingFailure { try file.sync() } }
    }

    /// Turns events into chained records in the file; used under `writing` only.
    private final class Recorder: @unchecked Sendable {
        let file: AuditFile
        let runID: String
        let masker: SecretMasker
        let key: String?
        let context: [String: JSONValue]
        /// Records and syncs one at a time: the items of a `parallel:` fan-out report from their
        /// threads, and one may sync (before a retry's delay) while another's record is written.
        let writing = Locked<Void>(())
        let firstFailure = Locked<AuditError?>(nil)
        let onFailure = Locked<(() -> Void)?>(nil)

        init(file: AuditFile, runID: String, masker: SecretMasker, key: String?, context: [String: JSONValue]) {
            self.file = file
            self.runID = runID
            self.masker = masker
            self.key = key
            self.context = context
        }

        func record(_ event: EngineEvent) {
            // Straight into the record's canonical text, every value masked as it is added.
            var members = MaskedMembers(masker: masker)
            members.object.reserveCapacity(members: 16)
            let name = EventRecord.add(event, to: &members)
            if name == .runStart {
                for (key, value) in context where !members.object.contains(key) { members.add(key, value) }
            }
            members.add("event", .string(name.rawValue))
            members.add("run", .string(runID))
            keepingFailure {
                try file.append(members.object, key: key, durable: Self.precedesEffect(name))
                // A plan's records, written without an fsync each (or held), become durable together at its end.
                if name == .runEnd { try file.sync() }
            }
        }

        /// The first failure is kept (and reported once per record that could not be written).
        func keepingFailure(_ body: () throws -> Void) {
            do {
                try body()
            } catch let error as AuditError {
                failed(error)
            } catch {
                failed(AuditError("\(error)"))
            }
        }

        private func failed(_ error: AuditError) {
            firstFailure.withLock { $0 = $0 ?? error }
            onFailure.withLock { $0 }?()
        }

        /// Records that must be on disk before `handle` returns: what comes next acts on the system.
        private static func precedesEffect(_ event: AuditEvent) -> Bool {
            switch event {
            // `run.start` waits for the first of these: until a step starts, nothing has happened.
            case .stepStart, .rollbackStart, .runEnd: return true
            default: return false
            }
        }
    }

    /// A new run id: UTC time plus randomness, sortable and unique enough for one host's log.
    package static func newRunID(now: Date = Date()) -> String {
        // From the record timestamp's own fields: a DateFormatter loads ICU, which cost about a
        // tenth of a one-step run's CPU.
        let stamp = AuditChain.timestamp(now)  // 2026-12-01T18:10:30.123Z
        let compact = stamp.prefix(19).filter { $0 != "-" && $0 != ":" }  // 20261201T181030
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return compact + "Z-" + String(repeating: "0", count: 8 - suffix.count) + suffix
    }
}

/// A record's members with every string inside its values masked (`JSONValue.masked(by:)`).
private struct MaskedMembers: JSONMembers {
    let masker: SecretMasker
    var object = CanonicalObject()

    mutating func add(_ key: String, _ value: JSONValue) { object.add(key, value.masked(by: masker)) }
}

extension JSONValue {
    package var objectFields: [String: JSONValue] {
        if case .object(let o) = self { return o }
        return [:]
    }
}
