import Foundation
import Testing

@testable import RunbookBasics

@Suite struct ProcessEnvironmentTests {
    @Test func theSnapshotHoldsWhatFoundationReads() {
        #expect(ProcessEnvironment.current == ProcessInfo.processInfo.environment)
    }

    @Test func onlyTheFirstEqualsSignSplitsAndTheFirstOfTwoNamesWins() {
        let entries = ["LS_COLORS=di=01;34:ln==", "EMPTY=", "NOEQUALS", "TWICE=first", "TWICE=second"]
        var pointers: [UnsafeMutablePointer<CChar>?] = entries.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        let read = pointers.withUnsafeMutableBufferPointer { ProcessEnvironment.read($0.baseAddress!) }
        #expect(read == ["LS_COLORS": "di=01;34:ln==", "EMPTY": "", "TWICE": "first"])
    }
}
