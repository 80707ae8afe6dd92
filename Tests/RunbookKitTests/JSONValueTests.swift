import Testing

@testable import RunbookBasics
@testable import RunbookExpression

/// One JSON model serves the audit chain, `json()` and the text of lists and objects in templates.
@Suite struct JSONValueTests {
    @Test func canonicalTextSortsKeysByBytesAndKeepsIntegersWhole() throws {
        let value = try #require(JSONValue.parse(#"{"b": 1.5, "a": 2, "é": [true, null, "x\n"], "Z": 1e16}"#))
        #expect(value.canonical == #"{"Z":10000000000000000,"a":2,"b":1.5,"é":[true,null,"x\n"]}"#)
    }

    @Test func expressionValuesWriteTheCanonicalText() throws {
        let text = #"{"list":[1,2.25,"three"],"nested":{"ok":false}}"#
        let value = try Value.parseJSON(text).get()
        #expect(value.jsonText == text)
        #expect(
            value
                == .object([
                    "list": .list([.number(1), .number(2.25), .string("three")]),
                    "nested": .object(["ok": .bool(false)]),
                ]))
    }

    @Test func notJSONSaysWhy() {
        guard case .failure(let failure) = JSONValue.parsing("{oops") else {
            Issue.record("{oops parsed")
            return
        }
        #expect(!failure.reason.isEmpty)
    }
}
