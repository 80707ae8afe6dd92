import Testing

@testable import RunbookDiagnostics

@Suite struct DiagnosticTests {
    @Test func rendersCompilerFormatWithCaretAndHelp() {
        let d = Diagnostic.error(
            "unknown key 'tittle'", at: SourceLocation(file: "p.yaml", line: 2, column: 3),
            hint: "did you mean 'title'?")
        let renderer = DiagnosticRenderer(sourceLine: { _, _ in "  tittle: x" })
        #expect(
            renderer.render(d)
                == "p.yaml:2:3: error: unknown key 'tittle'\n      tittle: x\n      ^\n  help: did you mean 'title'?\n")
    }

    @Test func scalarPositionsMapOffsetsAcrossSegments() {
        let p = ScalarPositions(
            file: "f",
            segments: [
                .init(valueOffset: 0, line: 3, column: 5),
                .init(valueOffset: 10, line: 4, column: 3),
            ])
        #expect(p.location(atOffset: 0) == SourceLocation(file: "f", line: 3, column: 5))
        #expect(p.location(atOffset: 9) == SourceLocation(file: "f", line: 3, column: 14))
        #expect(p.location(atOffset: 12) == SourceLocation(file: "f", line: 4, column: 5))
        let shifted = p.shifted(by: 11)
        #expect(shifted.location(atOffset: 0) == SourceLocation(file: "f", line: 4, column: 4))
    }
}
