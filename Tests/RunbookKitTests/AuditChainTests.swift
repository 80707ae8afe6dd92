import Foundation
import Testing

@testable import RunbookAudit
@testable import RunbookBasics

@Suite struct AuditChainTests {
    @Test func canonicalJSONMatchesPythonsSortedCompactDump() throws {
        let value = JSONValue.object([
            "b": .array([.int(1), .bool(true), .null]), "a": .string("q\"\\\n\t\u{08}\u{0C}\u{01}é/→"),
            "é": .int(-3), "Z": .object([:]),
        ])
        let python = """
            import json,sys
            v={"b":[1,True,None],"a":"q\\"\\\\\\n\\t\\b\\f\\u0001é/→","é":-3,"Z":{}}
            sys.stdout.write(json.dumps(v,sort_keys=True,separators=(",",":"),ensure_ascii=False))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", python]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(value.canonical == String(decoding: data, as: UTF8.self))
    }

    @Test func timestampsAreRFC3339UTCWithMilliseconds() {
        #expect(AuditChain.timestamp(Date(timeIntervalSince1970: 1_800_000_000.123)) == "2027-01-15T08:00:00.123Z")
        // Every field padded; milliseconds rounded into the next second; a leap day; the epoch.
        #expect(AuditChain.timestamp(Date(timeIntervalSince1970: 1_767_323_045.006)) == "2026-01-02T03:04:05.006Z")
        #expect(AuditChain.timestamp(Date(timeIntervalSince1970: 1_767_323_045.9996)) == "2026-01-02T03:04:06.000Z")
        #expect(AuditChain.timestamp(Date(timeIntervalSince1970: 1_709_251_199.999)) == "2024-02-29T23:59:59.999Z")
        #expect(AuditChain.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
    }

    @Test func hashCoversPrevAndTheRecordWithoutHashOrHmac() {
        let record: [String: JSONValue] = ["seq": .int(1), "event": .string("run.start"), "hash": .string("x")]
        let expected = Digest.sha256Hex(Array((AuditChain.genesis + #"{"event":"run.start","seq":1}"#).utf8))
        #expect(AuditChain.hash(of: record, prev: AuditChain.genesis) == expected)
    }

    @Test func runIDsAreUTCSecondsThenEightHexDigits() {
        let id = AuditLog.newRunID(now: Date(timeIntervalSince1970: 1_796_148_630.5))
        #expect(id.hasPrefix("20261201T181030Z-"), "\(id)")
        #expect(id.count == "20261201T181030Z-".count + 8)
        #expect(id.suffix(8).allSatisfy { $0.isHexDigit })
    }
}
