import RunbookTestSupport
import Testing

@testable import RunbookReport

@Suite struct PlaybookPictureTests {
    private func picture(_ yaml: String) throws -> PlaybookPicture {
        let compiled = try InlinePlaybooks.compile(yaml)
        return PlaybookPicture(try #require(compiled.graph, "\(compiled.diagnostics)"))
    }

    private let guarded = """
        runbook: 1
        id: guarded
        title: 'Say "hi" | <b> #1'
        recovery:
          - {id: first, run: "echo \\"a|b\\" <x> #y"}
          - id: second
            when: steps.first.ok
            run: "true"
            confirm: Go?
            rollback: {run: "undo \\"it\\""}
          - {id: third, manual: "Call the lead"}
        """

    @Test func aGuardLabelsTheEdgeInAndAnElseEdgeSkipsTheStepToAJunction() throws {
        let mermaid = try picture(guarded).mermaid()
        #expect(mermaid.contains(#"n2 -->|"when steps.first.ok"| n3"#), "\(mermaid)")
        #expect(mermaid.contains(#"n2 -->|"else"| n5"#), "\(mermaid)")
        #expect(mermaid.contains("n3 --> n5"), "\(mermaid)")
        #expect(mermaid.contains("n5 --> n6"), "the next step is entered once, from the junction: \(mermaid)")
    }

    @Test func rollbacksHangOnDashedEdgesAndConfirmationsAreMarked() throws {
        let p = try picture(guarded)
        let mermaid = p.mermaid()
        #expect(mermaid.contains(#"n3 -.->|"on rollback"| n4"#), "\(mermaid)")
        #expect(mermaid.contains("class n3 confirm"), "\(mermaid)")
        #expect(mermaid.contains("class n4 rollback"), "\(mermaid)")
        let dot = p.dot()
        #expect(dot.contains(#"n3 -> n4 [label="on rollback", style=dashed, color=firebrick];"#), "\(dot)")
        #expect(dot.contains("color=darkorange, penwidth=2"), "\(dot)")
        #expect(dot.contains("n6 [label=\"third\\nmanual: Call the lead\", shape=parallelogram];"), "\(dot)")
    }

    @Test func aFanOutSaysWhatItRunsForAndItsBudget() throws {
        let dot = try picture(
            """
            runbook: 1
            id: fan
            title: Fan-out
            params:
              pods: {type: list}
            recovery:
              - {id: defrag, foreach: params.pods, max_failures: 25%, run: etcdctl defrag}
            """
        ).dot()
        #expect(dot.contains(#"label="defrag\n$ etcdctl defrag\nfor each of params.pods, max_failures 25%""#), "\(dot)")
    }

    @Test func labelsCannotBreakOutOfTheirQuotes() throws {
        let p = try picture(guarded)
        let mermaid = p.mermaid()
        #expect(mermaid.contains("title: guarded: Say #quot;hi#quot; #124; #lt;b#gt; #35;1"), "\(mermaid)")
        #expect(mermaid.contains(#"n2["first<br>$ echo #quot;a#124;b#quot; #lt;x#gt; #35;y"]"#), "\(mermaid)")
        let dot = p.dot()
        #expect(dot.contains(#"label="guarded: Say \"hi\" | <b> #1""#), "\(dot)")
        #expect(dot.contains(#"n2 [label="first\n$ echo \"a|b\" <x> #y", shape=box, style=bold];"#), "\(dot)")
    }

    @Test func optionsBranchFromTheChoiceAndMeetAgain() throws {
        let p = try picture(
            """
            runbook: 1
            id: choice
            title: Choice
            recovery:
              - id: pick
                choose:
                  a: {steps: [{id: a1, run: "true"}]}
                  b: {when: "false", steps: []}
                default: a
              - {id: after, run: "true"}
            """)
        let mermaid = p.mermaid()
        #expect(mermaid.contains(#"n2{"pick<br>choose one"}"#), "\(mermaid)")
        #expect(mermaid.contains(#"n2 -->|"a (default)"| n3"#), "\(mermaid)")
        #expect(mermaid.contains(#"n2 -->|"b · when false"| n4"#), "\(mermaid)")
        #expect(mermaid.contains("n3 --> n4"), "\(mermaid)")
        #expect(mermaid.contains("n4 --> n5"), "\(mermaid)")
        #expect(mermaid.contains(#"subgraph c2["option a"]"#), "\(mermaid)")
    }
}
