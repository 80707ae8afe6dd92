/// Collects events for `--json`: `{"events": [{"event": …, …}, …]}`.
public final class EventCollector: EngineObserver {
    private var records: [JSONValue] = []
    private let masker: SecretMasker

    public init(secrets: [String]) {
        masker = SecretMasker(secrets: secrets)
    }

    public func handle(_ event: EngineEvent) {
        let record = EventRecord(event)
        var object = record.fields
        object["event"] = .string(record.event.rawValue)
        records.append(JSONValue.object(object).masked(by: masker))
    }

    public func json() -> String {
        JSONOutput.encode(JSONValue.object(["events": .array(records)]))
    }
}
