import RunbookAudit
import RunbookBasics
import RunbookEvents

/// Collects events for `--json`: `{"events": [{"event": …, …}, …]}`.
package final class EventCollector: EngineObserver {
    private var records: [JSONValue] = []
    private let masker: SecretMasker

    package init(secrets: [String]) {
        masker = SecretMasker(secrets: secrets)
    }

    package func handle(_ event: EngineEvent) {
        let record = EventRecord(event)
        var object = record.fields
        object["event"] = .string(record.event.rawValue)
        records.append(JSONValue.object(object).masked(by: masker))
    }

    package func json() -> String {
        JSONOutput.encode(JSONValue.object(["events": .array(records)]))
    }
}
