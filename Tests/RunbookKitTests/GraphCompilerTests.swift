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

    @Test func includeChecksWrittenOutValuesAgainstTheParamsTypeAndLimits() throws {
        let other = """
            runbook: 1
            id: other
            title: O
            params:
              databases: {type: bool, default: true}
              port: {type: int, default: 80, max: 65535}
              mode: {type: string, default: a, choices: [a, b]}
              host: {type: string, default: x}
            recovery: [{id: r, run: x}]
            """
        let (_, diagnostics) = try compile(
            """
            runbook: 1
            id: main
            title: Main
            params: {p: {type: string, default: "no"}}
            recovery:
              - {id: inc, include: other, with: {databases: "no", port: "99999", mode: c, host: "{{ params.p }}"}}
            """, others: ["other": other])
        #expect(
            diagnostics.map { "\($0.location.line):\($0.location.column) \($0.message)" } == [
                "6:50 'no' is not a valid bool for param 'databases' of 'other'",
                "6:62 param 'port' of 'other' must be at most 65535 (got 99999)",
                "6:76 param 'mode' of 'other' must be one of a, b (got 'c')",
            ])
        #expect(diagnostics[0].hint == "write it as true or false")
    }

    @Test func aRollbackMayReadWhetherALaterStepRanButNotItsOutput() throws {
        let (_, diagnostics) = try compile(
            """
            runbook: 1
            id: main
            title: Main
            recovery:
              - id: backup
                run: backup
                rollback:
                  - {run: restart, when: steps.restart.status == "ok" && steps.restart.ok}
                  - {run: "echo {{ steps.restart.stdout }}"}
              - {id: restart, run: restart}
            """)
        #expect(
            diagnostics.map { "\($0.location.line):\($0.location.column) \($0.message)" } == [
                "9:30 step 'restart' comes after the step this rollback undoes; a rollback may read only whether it ran"
            ])
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

    static func unusedHint(_ name: String) -> String {
        "no expression or template reads params.\(name); use it, e.g. {{ params.\(name) }} in a command, or remove it"
    }

    @Test func aParamNothingReadsIsAWarningAtItsName() throws {
        let (graph, diagnostics) = try compile(
            """
            runbook: 1
            id: p
            title: P
            params:
              service: {type: string, default: api}
              old_port: {type: int, default: 80}
            recovery:
              - {id: restart, run: "systemctl restart {{ params.service }}"}
            """)
        #expect(graph != nil)
        #expect(diagnostics.map(\.description) == ["main.yaml:6:3: warning: param 'old_port' is never used"])
        #expect(diagnostics.first?.hint == Self.unusedHint("old_port"))
    }

    @Test func aParamReadAnywhereInThePlaybookIsUsed() throws {
        let other = "runbook: 1\nid: other\ntitle: O\nparams: {target: {type: string}}\nrecovery: [{id: r, run: x}]\n"
        let (graph, diagnostics) = try compile(
            """
            runbook: 1
            id: every-site
            title: Every site
            params:
              in_when: {default: a}
              in_title: {default: a}
              in_description: {default: a}
              in_prompt: {default: a}
              in_phrase: {default: a}
              in_expect: {default: a}
              in_until: {default: a}
              in_output: {default: a}
              in_env: {default: a}
              in_cwd: {default: a}
              in_run: {default: a}
              in_argv: {default: a}
              in_manual: {default: a}
              in_assert: {default: a}
              in_option_when: {default: a}
              in_option_title: {default: a}
              in_with: {default: a}
              in_rollback: {default: a}
              in_rollback_list: {default: a}
              in_gameday: {default: a}
              in_call: {default: a}
            diagnosis:
              - id: look
                title: "Look at {{ params.in_title }}"
                description: "Why {{ upper(params.in_description) }}"
                when: params.in_when != "b"
                run: "echo {{ params.in_run }}"
                env: {WHO: "{{ params.in_env }}"}
                cwd: "/srv/{{ params.in_cwd }}"
                retry: {attempts: 2}
                until: contains(stdout, params.in_until)
                expect: stdout != params.in_expect
                outputs: {first: 'default(params.in_output, "x")'}
              - {id: argv, run: [echo, "{{ params.in_argv }}"]}
              - {id: hand, manual: "Check {{ params.in_manual }}"}
              - {id: sure, assert: 'matches(params.in_call, "^a") && params.in_assert == "a"'}
            recovery:
              - id: fix
                run: x
                confirm: {prompt: "Fix {{ params.in_prompt }}?", phrase: "{{ params.in_phrase }}"}
                rollback: {run: "undo {{ params.in_rollback }}"}
              - id: fix_more
                run: x
                rollback: [{wait: 1s}, {manual: "Undo {{ params.in_rollback_list }}"}]
              - id: remedy
                choose:
                  one:
                    title: "One for {{ params.in_option_title }}"
                    when: params.in_option_when == "a"
                    steps: [{id: one_step, run: x}]
                default: one
              - {id: inc, include: other, with: {target: "{{ params.in_with }}"}}
            gameday:
              inject: [{id: inject, run: "break {{ params.in_gameday }}"}]
              revert: [{id: revert, run: fix}]
            """, others: ["other": other])
        #expect(graph != nil)
        #expect(diagnostics.map(\.description) == [])
    }

    @Test func aSecretReadFromTheEnvironmentNeedsNoReference() throws {
        let (_, diagnostics) = try compile(
            """
            runbook: 1
            id: s
            title: S
            params:
              token: {secret: true, env: API_TOKEN, required: false}
              password: {secret: true, required: false}
            recovery: [{id: r, run: deploy}]
            """)
        #expect(diagnostics.map(\.description) == ["main.yaml:6:3: warning: param 'password' is never used"])
    }

    @Test func aParamReadOnlyInTextThatDoesNotParseIsNotCalledUnused() throws {
        let (_, diagnostics) = try compile(
            """
            runbook: 1
            id: broken
            title: Broken
            params: {service: {default: api}}
            recovery: [{id: r, run: x, when: params.service ==}]
            """)
        #expect(diagnostics.map(\.severity) == [.error])
        #expect(!diagnostics.contains { $0.message.contains("never used") })
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

extension GraphCompilerTests {
    @Test func aGuardReadingAnOutputThatMayBeNullIsAWarning() throws {
        let (_, diagnostics) = try compile(
            """
            runbook: 1
            id: n
            title: N
            diagnosis:
              - {id: usage, run: df, outputs: {pct: number(stdout)}}
            recovery:
              - {id: strict, run: df, on_failure: abort, outputs: {pct: number(stdout)}}
              - {id: a, run: x, when: steps.usage.outputs.pct > 90}
              - {id: b, run: x, when: "default(steps.usage.outputs.pct, 0) > 90"}
              - {id: c, run: x, when: steps.usage.ok && steps.usage.outputs.pct > 90}
              - {id: d, run: x, when: steps.strict.outputs.pct > 90}
            """)
        #expect(
            diagnostics.map { "\($0.location.line):\($0.location.column): \($0.message)" } == [
                "8:33: steps.usage.outputs.pct is null when 'usage' failed or did not run, and a guard cannot compare null"
            ])
        #expect(
            diagnostics.first?.hint
                == "write default(steps.usage.outputs.pct, FALLBACK), or check the step first: steps.usage.ok && …")
    }

    @Test(arguments: [
        ("steps.d.ok || steps.d.outputs.n > 1", true),
        ("steps.d.outputs.n > 1 && steps.d.ok", true),
        (#"steps.d.status != "ok" && steps.d.outputs.n > 1"#, true),
        (#"steps.d.status == "ok" && steps.d.outputs.n > 1"#, false),
        ("steps.d.outputs.n != null && steps.d.outputs.n > 1", false),
        ("steps.d.outputs.n == null || steps.d.outputs.n > 1", false),
        ("!steps.d.ok || steps.d.outputs.n > 1", false),
        ("steps.d.outputs.n == null", false),
    ])
    func nullOutputGuardsAreJudgedByWhatRunsFirst(guardText: String, warned: Bool) throws {
        let (_, diagnostics) = try compile(
            """
            runbook: 1
            id: n
            title: N
            diagnosis:
              - {id: d, run: df, outputs: {n: number(stdout)}}
            recovery:
              - id: a
                run: x
                when: '\(guardText)'
            """)
        #expect(diagnostics.contains { $0.message.hasPrefix("steps.d.outputs.n is null") } == warned, "\(diagnostics)")
    }

    @Test func aRollbackGuardMayReadItsOwnStepsOutputsButNotAnothers() throws {
        let (_, diagnostics) = try compile(
            """
            runbook: 1
            id: n
            title: N
            diagnosis:
              - {id: d, run: df, outputs: {n: number(stdout)}}
            recovery:
              - id: a
                run: x
                outputs: {copy: trim(stdout)}
                on_failure: continue
                rollback:
                  - {run: undo, when: 'steps.a.outputs.copy != "" && steps.d.outputs.n > 1'}
            """)
        #expect(
            diagnostics.map(\.message) == [
                "steps.d.outputs.n is null when 'd' failed or did not run, and a guard cannot compare null"
            ])
    }
}
