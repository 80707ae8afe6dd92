import RunbookTestSupport
import Testing

@testable import RunbookDiagnostics
@testable import RunbookGraph
@testable import RunbookPlaybook

@Suite struct GraphCompilerTests {
    private func compile(_ yaml: String, others: [String: String] = [:]) throws -> (StepGraph?, [Diagnostic]) {
        let compiled = try InlinePlaybooks.compile(yaml, others: others)
        return (compiled.graph, compiled.diagnostics)
    }

    @Test func phaseDefaultsApplyAndStepsOverrideThem() throws {
        let (graph, diagnostics) = try compile(
            """
            runbook: 1
            id: d
            title: D
            symptoms: [{id: s, run: x}]
            diagnosis: [{id: d1, run: x}]
            recovery:
              - {id: r1, run: x}
              - {id: r2, run: x, readonly: true, on_failure: abort, timeout: 30s}
            verify: [{id: v, assert: "true"}]
            """)
        #expect(diagnostics.isEmpty)
        let steps = try #require(graph?.allSteps)
        #expect(steps.map(\.id) == ["s", "d1", "r1", "r2", "v"])
        #expect(steps.map(\.readonly) == [true, true, false, true, true])
        #expect(steps.map(\.onFailure) == [.continue, .continue, .rollback, .abort, .rollback])
        #expect(steps.map(\.timeout) == [.minutes(10), .minutes(10), .minutes(10), .seconds(30), nil])
    }

    @Test func groupsPassTheirReadonlyAndPolicyToChildren() throws {
        let (graph, _) = try compile(
            """
            runbook: 1
            id: g
            title: G
            recovery:
              - id: checks
                readonly: true
                on_failure: continue
                steps:
                  - {id: a, run: x}
                  - {id: b, run: x, on_failure: abort}
            """)
        let steps = try #require(graph?.allSteps)
        #expect(steps.map(\.id) == ["checks", "a", "b"])
        #expect(steps.map(\.readonly) == [true, true, true])
        #expect(steps.map(\.onFailure) == [.continue, .continue, .abort])
    }

    @Test func rollbackActionsAreNamedAfterTheirStep() throws {
        let (graph, _) = try compile(
            """
            runbook: 1
            id: r
            title: R
            recovery:
              - {id: one, run: x, rollback: {run: undo}}
              - {id: two, run: x, rollback: [{run: undo1}, {manual: check by hand}]}
            """)
        let steps = try #require(graph?.allSteps)
        #expect(steps[0].rollback.map(\.id) == ["one.rollback"])
        #expect(steps[1].rollback.map(\.id) == ["two.rollback.1", "two.rollback.2"])
    }

    @Test func chooseOptionsRecordTheirBranch() throws {
        let (graph, _) = try compile(
            """
            runbook: 1
            id: c
            title: C
            recovery:
              - id: remedy
                choose:
                  restart: {steps: [{id: a, run: x}]}
                  scale: {steps: [{id: b, run: x}]}
                default: restart
              - {id: after, run: x}
            """)
        let g = try #require(graph)
        #expect(g.order == ["remedy", "a", "b", "after"])
        #expect(g.step("b")?.branch == [BranchPoint(chooseStep: "remedy", option: "scale")])
        #expect(g.step("after")?.branch == [])
    }

    @Test func includesExpandWithPrefixedIdsAndTheirOwnPhases() throws {
        let restart = """
            runbook: 1
            id: service-restart
            title: Restart
            params: {service: {type: string}}
            symptoms: [{id: down, run: x}]
            diagnosis: [{id: status, run: x}]
            recovery: [{id: restart, run: x}]
            verify: [{id: healthy, run: x}]
            """
        let (graph, diagnostics) = try compile(
            """
            runbook: 1
            id: main
            title: Main
            recovery:
              - {id: restart, include: service-restart, with: {service: api}}
            """, others: ["service-restart": restart])
        #expect(diagnostics.isEmpty)
        let steps = try #require(graph?.allSteps)
        #expect(steps.map(\.id) == ["restart", "restart/status", "restart/restart", "restart/healthy"])
        #expect(steps.map(\.readonly) == [false, true, false, true])
    }

    @Test func includeChecksItsBindings() throws {
        let other = "runbook: 1\nid: other\ntitle: O\nparams: {service: {type: string}}\nrecovery: [{id: r, run: x}]\n"
        let (_, diagnostics) = try compile(
            """
            runbook: 1
            id: main
            title: Main
            recovery:
              - {id: inc, include: other, with: {servce: api}}
            """, others: ["other": other])
        #expect(
            diagnostics.map(\.message) == [
                "playbook 'other' has no param 'servce'",
                "include of 'other' does not set its required param 'service'",
            ])
        #expect(diagnostics[0].hint == "did you mean 'service'?")
    }

    @Test func includeCyclesAreReportedWithThePath() throws {
        let a = "runbook: 1\nid: a\ntitle: A\nrecovery: [{id: to_b, include: b}]\n"
        let b = "runbook: 1\nid: b\ntitle: B\nrecovery: [{id: to_main, include: main}]\n"
        let (graph, diagnostics) = try compile(
            """
            runbook: 1
            id: main
            title: Main
            recovery: [{id: to_a, include: a}]
            """,
            others: ["a": a, "b": b, "main": "runbook: 1\nid: main\ntitle: M\nrecovery: [{id: to_a, include: a}]\n"])
        #expect(graph == nil)
        #expect(diagnostics.map(\.message) == ["include cycle: main → a → b → main"])
        #expect(diagnostics.first?.location.file == "b.yaml")
    }

    @Test func duplicateIdsAcrossNestingAreErrors() throws {
        let result = PlaybookLoader(library: PlaybookLibrary(folders: []))
            .load(path: Fixtures.path("invalid/duplicate-step-id.yaml"))
        #expect(result.graph == nil)
        #expect(
            result.diagnostics.map { "\($0.location.line):\($0.location.column) \($0.message)" } == [
                "10:13 duplicate step id 'look' (first used at line 5)"
            ])
    }

    @Test func keysThatDoNotFitTheActionAreErrors() {
        let result = PlaybookLoader(library: PlaybookLibrary(folders: []))
            .load(path: Fixtures.path("invalid/key-on-wrong-action.yaml"))
        #expect(
            result.diagnostics.map { "\($0.location.line):\($0.location.column) \($0.message)" } == [
                "5:9 'detach' applies to 'run' steps only",
                "8:9 'expect' needs a step with its own result; 'steps' has none",
            ])
    }

    @Test func untilWithoutRetryIsAWarning() throws {
        let (graph, diagnostics) = try compile(
            "runbook: 1\nid: u\ntitle: U\nverify: [{id: v, run: x, until: 'exit_code == 0'}]\n")
        #expect(graph != nil)
        #expect(diagnostics.map(\.severity) == [.warning])
        #expect(diagnostics.first?.message == "'until' without 'retry' checks only once")
    }
}

extension GraphCompilerTests {
    @Test func ownOutputsAreReadableOnlyInExpectAndUntilAndMustBeDeclared() throws {
        let (_, diagnostics) = try compile(
            """
            runbook: 1
            id: o
            title: O
            recovery:
              - id: a
                run: x
                outputs: {ready: trim(stdout), twice: outputs.ready}
                expect: outputs.ready == "yes" && outputs.redy == "no"
              - id: b
                run: y
                when: outputs.ready == "yes"
            """)
        #expect(
            diagnostics.map { "\($0.location.line):\($0.location.column): \($0.message)" } == [
                "8:47: step 'a' has no output 'redy'",
                "7:51: 'outputs.ready' is only available in a step's own expect and until",
                "11:19: 'outputs.ready' is only available in a step's own expect and until",
            ])
        #expect(
            diagnostics.map(\.hint) == [
                "did you mean 'ready'?",
                "an output cannot read another output; compute it from stdout, stderr or exit_code",
                "refer to a step's outputs as steps.ID.outputs.ready",
            ])
    }
}
