import Foundation

extension Value {
    /// Parses JSON text into a value; `nil` with the parser's reason when it is not JSON.
    static func parseJSON(_ text: String) -> Result<Value, JSONParseFailure> {
        do {
            let decoded = try JSONDecoder().decode(JSONNode.self, from: Data(text.utf8))
            return .success(decoded.value)
        } catch let DecodingError.dataCorrupted(context) {
            let reason = (context.underlyingError as NSError?)?.localizedDescription ?? context.debugDescription
            return .failure(JSONParseFailure(reason: reason))
        } catch {
            return .failure(JSONParseFailure(reason: "\(error)"))
        }
    }
}

/// Why text was not JSON.
struct JSONParseFailure: Error {
    var reason: String
}

/// Decodes any JSON into `Value`; trying bool before number keeps `true` from becoming 1.
private struct JSONNode: Decodable {
    var value: Value

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            value = .null
        } else if let b = try? container.decode(Bool.self) {
            value = .bool(b)
        } else if let n = try? container.decode(Double.self) {
            value = .number(n)
        } else if let s = try? container.decode(String.self) {
            value = .string(s)
        } else if let items = try? container.decode([JSONNode].self) {
            value = .list(items.map(\.value))
        } else {
            let members = try container.decode([String: JSONNode].self)
            value = .object(members.mapValues(\.value))
        }
    }
}
