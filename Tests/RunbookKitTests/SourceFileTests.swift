import Dispatch
import RunbookBasics
import RunbookDiagnostics
import Testing

/// Locations name their file through `SourceFile`: one entry per path, compared by identity,
/// which must agree with comparing the paths.
@Suite struct SourceFileTests {
    let long = "playbooks/a-path-longer-than-fifteen-bytes.yaml"

    @Test func aPathNamedTwiceIsOneFileAndKeepsItsText() {
        let a = SourceFile(long)
        let b = SourceFile(String(long.reversed().reversed()))
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a.path == long)
        #expect(a.description == long)
        #expect(SourceFile("a.yaml") != SourceFile("b.yaml"))
        #expect(SourceFile("") == SourceFile(""))
    }

    @Test func filesOrderByTheirPaths() {
        let names = ["z.yaml", "a/b.yaml", "a.yaml", long, "", "é.yaml"]
        let sorted = names.map(SourceFile.init).sorted().map(\.path)
        #expect(sorted == names.sorted())
        #expect(!(SourceFile("a.yaml") < SourceFile("a.yaml")))
    }

    @Test func locationsCompareHashAndPrintAsTheirPathsDo() {
        let a = SourceLocation(file: long, line: 3, column: 4)
        let b = SourceLocation(sourceFile: SourceFile(long), line: 3, column: 4)
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
        #expect(a.description == "\(long):3:4")
        #expect(SourceLocation(file: "b.yaml", line: 1, column: 1) > SourceLocation(file: "a.yaml", line: 9, column: 9))
        #expect(SourceLocation(file: "a.yaml", line: 2, column: 1) > SourceLocation(file: "a.yaml", line: 1, column: 9))
        var moved = a
        moved.file = "other.yaml"
        #expect(moved.file == "other.yaml")
        #expect(moved.sourceFile == SourceFile("other.yaml"))
        #expect(moved != a)
        #expect(a.file == long)
    }

    /// Every node and most decoded values hold a location: sixteen bytes, its line and column
    /// in 32 bits each; a number past that reads as the largest one, not as another number.
    @Test func aLocationIsSixteenBytesAndKeepsItsLineAndColumn() {
        #expect(MemoryLayout<RunbookDiagnostics.SourceLocation>.size == 16)
        #expect(MemoryLayout<ScalarPositions.Segment>.size == 12)
        var location = SourceLocation(file: long, line: 16 << 20, column: 70_000)
        #expect(location.line == 16 << 20 && location.column == 70_000)
        location.line += 1
        location.column = 0
        #expect(location.description == "\(long):\((16 << 20) + 1)")
        #expect(SourceLocation(file: long, line: Int.max, column: -1).line == Int(Int32.max))
        let segment = ScalarPositions.Segment(valueOffset: 15 << 20, line: 9, column: 4_000_000)
        #expect(segment.valueOffset == 15 << 20 && segment.line == 9 && segment.column == 4_000_000)
    }

    @Test func positionsKeepTheirFileThroughEveryLocationTheyGive() {
        let positions = ScalarPositions(
            file: long,
            segments: [.init(valueOffset: 0, line: 2, column: 5), .init(valueOffset: 3, line: 3, column: 1)])
        #expect(positions.file == long)
        #expect(positions.location(atOffset: 4) == SourceLocation(file: long, line: 3, column: 2))
        let shifted = positions.shifted(by: 1)
        #expect(shifted.location(atOffset: 0) == SourceLocation(file: long, line: 2, column: 6))
        #expect(shifted.location(atOffset: 1) == SourceLocation(file: long, line: 2, column: 7))
        #expect(shifted.location(atOffset: 2) == SourceLocation(file: long, line: 3, column: 1))
        #expect(shifted.segments.map(\.valueOffset) == [0, 2])
        #expect(positions.shifted(by: 3).segments == [.init(valueOffset: 0, line: 3, column: 1)])
        #expect(positions.shifted(by: 5).segments == [.init(valueOffset: 0, line: 3, column: 3)])
        #expect(positions.shifted(by: 0) == positions)
        #expect(ScalarPositions(start: SourceLocation(file: long, line: 7, column: 8)).sourceFile == SourceFile(long))
    }

    @Test func aPathNamedOnManyThreadsAtOnceIsStillOneFile() {
        let paths = (0..<20).map { "folder/playbook-number-\($0).yaml" }
        let files = Locked<[[SourceFile]]>([])
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            let named = paths.map(SourceFile.init)
            files.withLock { $0.append(named) }
        }
        let all = files.withLock { $0 }
        #expect(all.count == 16)
        for named in all { #expect(named == all[0]) }
        #expect(Set(all[0]).count == paths.count)
        #expect(all[0].map(\.path) == paths)
    }
}
