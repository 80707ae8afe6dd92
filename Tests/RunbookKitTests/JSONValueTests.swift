import Foundation
import Testing

@testable import RunbookBasics
@testable import RunbookExpression

/// One JSON model serves the audit chain, `json()` and the text of lists and objects in templates.
@Suite struct JSONValueTests {
    @Test func canonicalTextSortsKeysByBytesAndKeepsIntegersWhole() throws {
        let value = try #require(JSONValue.parse(#"{"b": 1.5, "a": 2, "é": [true, null, "x\n"], "Z": 1e16}"#))
        #expect(value.canonical == #"{"Z":10000000000000000,"a":2,"b":1.5,"é":[true,null,"x\n"]}"#)
    }

    @Test func canonicalTextWritesEveryIntegerAndEscapeAsBefore() {
        let value = JSONValue.array([
            .int(0), .int(-7), .int(Int.max), .int(Int.min), .number(-0.0), .number(2.5),
            .string("tab\tquote\"back\\slash\u{01}\u{1F}é 🙂"),
        ])
        #expect(
            value.canonical
                == #"[0,-7,9223372036854775807,-9223372036854775808,0,2.5,"tab\tquote\"back\\slash\u0001\u001fé 🙂"]"#
        )
        #expect(JSONValue.quote("a\rb\u{08}\u{0C}") == #""a\rb\b\f""#)
    }

    /// The audit writer adds `hash` and `hmac` after encoding the rest: the result is the
    /// canonical text of the whole record, whatever order the members were added in.
    @Test func aCanonicalObjectBuiltMemberByMemberIsTheCanonicalText() {
        let fields: [String: JSONValue] = ["seq": .int(3), "event": .string("step.end"), "z": .null, "a": .bool(true)]
        var object = CanonicalObject(fields)
        #expect(object.bytes == JSONValue.object(fields).canonicalBytes)
        object.add("hash", .string("abc"))
        object.add("hmac", .string("def"))
        object.add("0first", .int(1))
        object.add("seq", .int(4))
        var all = fields
        all["hash"] = .string("abc")
        all["hmac"] = .string("def")
        all["0first"] = .int(1)
        all["seq"] = .int(4)
        #expect(String(decoding: object.bytes, as: UTF8.self) == JSONValue.object(all).canonical)
        #expect(object.contains("seq") && object.contains("0first") && !object.contains("se") && !object.contains(""))
        #expect(CanonicalObject([:]).bytes == Array("{}".utf8))
        let stale: [String: JSONValue] = ["hash": .string("old"), "hmac": .string("old"), "é": .int(1), "z": .int(2)]
        #expect(CanonicalObject(stale, excluding: ["hash", "hmac"]).bytes == Array(#"{"z":2,"é":1}"#.utf8))
        // Keys that share their first eight bytes, a key that is a prefix of another, a NUL byte.
        let close: [String: JSONValue] = [
            "duration_ms": .int(1), "duration_ab": .int(2), "attempt": .int(3), "attempts": .int(4),
            "a\u{0}": .int(5), "a": .int(6), "": .int(7),
        ]
        #expect(CanonicalObject(close).bytes == JSONValue.object(close).canonicalBytes)
        #expect(
            String(decoding: CanonicalObject(close).bytes, as: UTF8.self)
                == #"{"":7,"a":6,"a\u0000":5,"attempt":3,"attempts":4,"duration_ab":2,"duration_ms":1}"#)
        let chained = CanonicalObject(stale, excluding: ["hash", "hmac"], adding: [("z", .int(3)), ("seq", .int(9))])
        #expect(chained.bytes == Array(#"{"seq":9,"z":3,"é":1}"#.utf8))
    }

    /// Members added in every order, some twice, give the text of the dictionary that keeps the
    /// last value of each key; merging another object lets its members win.
    @Test func aCanonicalObjectInAnyOrderOfAddingAndMergingIsTheCanonicalText() {
        let keys = ["duration_ms", "duration_ab", "attempt", "attempts", "a", "", "é", "z", "a\u{0}", "step", "hash"]
        var generator = SystemRandomNumberGenerator()
        for round in 0..<200 {
            var object = CanonicalObject()
            var other = CanonicalObject()
            var expected: [String: JSONValue] = [:]
            var otherExpected: [String: JSONValue] = [:]
            for n in 0..<Int.random(in: 0...20, using: &generator) {
                let key = keys.randomElement(using: &generator)!
                let value = JSONValue.string("\(round)-\(n)\n\"")
                if Bool.random(using: &generator) {
                    object.add(key, value)
                    expected[key] = value
                } else {
                    other.add(key, .int(n))
                    otherExpected[key] = .int(n)
                }
            }
            #expect(object.bytes == JSONValue.object(expected).canonicalBytes)
            var merged: [UInt8] = [UInt8(ascii: "x")]
            object.write(into: &merged, merging: other)
            #expect(
                merged == [UInt8(ascii: "x")]
                    + JSONValue.object(expected.merging(otherExpected) { _, theirs in theirs }).canonicalBytes)
            object.removeAll()
            #expect(object.bytes == Array("{}".utf8))
        }
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

    @Test func notJSONSaysWhatAndWhere() {
        guard case .failure(let failure) = JSONValue.parsing("{oops") else {
            Issue.record("{oops parsed")
            return
        }
        #expect(failure.reason == "expected a key in quotes at byte 2")
        #expect(JSONValue.parsing("[1, 2").failureReason == "unterminated array at the end of the text")
        #expect(JSONValue.parsing(#""a\qb""#).failureReason == "unknown escape in a string at byte 4")
    }

    /// The reader answers as `JSONDecoder` did for every valid text (the route it replaced).
    @Test(arguments: [
        "null", "true", "false", "0", "-0", "42", "-17", "1.0", "1e2", "2.5", "-1.0e-2", "1E+3", "0.1",
        "12345678901234567890", "9223372036854775807", "-9223372036854775808", "1.7976931348623157e308",
        #""""#, #""plain""#, #""é ✓ 🙂""#, #""\u00e9\u2713\ud83d\ude42""#, #""\"\\\/\b\f\n\r\t""#,
        "[]", "{}", " [ 1 , [ 2 , { } ] ] ", #"{"a": {"b": [null, true, "x"]}, "c": -3.25}"#,
        #"{"a": 1, "a": 2}"#, "\t\n\r 7 \n",
    ])
    func readsValidTextAsJSONDecoderDoes(_ text: String) throws {
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(JSONValue.parse(text) == decoded)
    }

    @Test(arguments: [
        "", " ", "[1,]", #"{"a":1,}"#, "01", "-", "1.", ".5", "1e", "+1", "tru", "nul", "[1 2]", #"{"a" 1}"#,
        #"{a:1}"#, "'x'", #""\ud800""#, #""\udc00x""#, #""\u12""#, "\"a\u{01}b\"", "[1]x", "1 2", "NaN",
        "Infinity", "1e400", "/* c */ 1", #""unterminated"#,
    ])
    func refusesWhatIsNotJSON(_ text: String) {
        #expect(JSONValue.parse(text) == nil)
    }

    @Test func deepNestingIsRefusedNotRecursedInto() {
        #expect(JSONValue.parse(String(repeating: "[", count: 100_000)) == nil)
        #expect(JSONValue.parse(String(repeating: "[", count: 512) + String(repeating: "]", count: 512)) != nil)
        #expect(JSONValue.parse(String(repeating: "[", count: 513) + String(repeating: "]", count: 513)) == nil)
    }
}

extension Result where Failure == JSONParseFailure {
    var failureReason: String? {
        if case .failure(let failure) = self { return failure.reason }
        return nil
    }
}
