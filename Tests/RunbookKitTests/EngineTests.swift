import RunbookTestSupport
import Testing

@testable import RunbookEffects
@testable import RunbookEngine
@testable import RunbookEvents

@Suite struct EngineTests {
    struct Run {
        var finished: RunFinished
        var trace: [String]
        var effects: ScriptedEffects
        var log: EventLog
    }

    private func run(
        _ yaml: String, effects: ScriptedEffects = ScriptedEffects(), options: RunOptions = RunOptions(),
        params: [String] = [], others: [String: String] = [:]
    ) throws -> Run {
        let (finished, log) = try execute(yaml, effects: effects, options: options, params: params, others: others)
        return Run(finished: finished, trace: log.trace, effects: effects, log: log)
    }

    /// Compiles an inline playbook and runs it on these effects.
    func execute(
        _ yaml: String, effects: any Effects, options: RunOptions = RunOptions(), params: [String] = [],
        others: [String: String] = [:]
    ) throws -> (RunFinished, EventLog) {
        let compiled = try InlinePlaybooks.compile(yaml, others: others)
        let graph = try #require(compiled.graph, "\(compiled.diagnostics)")
        let resolved = ParamResolver(params: compiled.playbook.params).resolve(ParamInputs(assignments: params))
        let log = EventLog()
        let engine = Engine(graph: graph, params: resolved.resolved, options: options, effects: effects, observer: log)
        return (engine.run(), log)
    }

    @Test func falseGuardSkipsTheStepAndRecordsWhy() throws {
        let r = try run(
            """
            runbook: 1
            id: t
            title: T
            params: {pool: {type: string, required: false}}
            recovery:
              - {id: scale, run: scale, when: params.pool != null}
              - {id: restart, run: restart}
            """)
        #expect(r.trace == ["skip scale", "start restart", "end restart ok", "run recovered"])
        #expect(r.finished.exitStatus == .success)
        guard case .stepSkipped(let skipped) = r.log.events[1] else {
            Issue.record("expected a skip record")
            return
        }
        #expect(skipped.guardRecord?.values == ["params.pool": "null"])
    }

    @Test func declinedConfirmationRollsBackCompletedStepsAndExitsThree() throws {
        let effects = ScriptedEffects(answers: ["restart": false])
        let r = try run(
            """
            runbook: 1
            id: t
            title: T
            recovery:
              - {id: drain, run: drain, rollback: {run: undrain}}
              - {id: restart, run: restart, confirm: Restart now?}
            """, effects: effects)
        #expect(
            r.trace == [
                "start drain", "end drain ok", "confirm restart no", "rollback drain.rollback ok", "run declined",
            ])
        #expect(r.finished.exitStatus == .declined)
        #expect(effects.executed.map { $0.argv.last! } == ["drain", "undrain"])
    }

    @Test func failureRollsBackInReverseOrderAndExitsOne() throws {
        let effects = ScriptedEffects(outcomes: ["three": [.init(exitCode: 1)]])
        let r = try run(
            """
            runbook: 1
            id: t
            title: T
            recovery:
              - {id: one, run: a, rollback: {run: undo-a}}
              - {id: two, run: b, rollback: [{run: undo-b1}, {run: undo-b2}]}
              - {id: three, run: c, rollback: {run: undo-c}}
            """, effects: effects)
        #expect(r.finished.outcome == .rolledBack)
        #expect(r.finished.exitStatus == .failed)
        #expect(r.finished.failedStep == "three")
        #expect(effects.executed.map { $0.argv.last! } == ["a", "b", "c", "undo-b1", "undo-b2", "undo-a"])
    }

    @Test func failingRollbackActionIsRecordedOthersStillRunAndExitIsFour() throws {
        let effects = ScriptedEffects(outcomes: ["two.rollback": [.init(exitCode: 2)], "three": [.init(exitCode: 1)]])
        let r = try run(
            """
            runbook: 1
            id: t
            title: T
            recovery:
              - {id: one, run: a, rollback: {run: undo-a}}
              - {id: two, run: b, rollback: {run: undo-b}}
              - {id: three, run: c}
            """, effects: effects)
        #expect(
            r.trace.suffix(3) == ["rollback two.rollback failed", "rollback one.rollback ok", "run rollback_failed"])
        #expect(r.finished.exitStatus == .rollbackFailed)
    }

    @Test func rollbackActionsRetryAndHonourExpectLikeSteps() throws {
        let effects = ScriptedEffects(outcomes: [
            "two": [.init(exitCode: 1)], "one.rollback": [.init(stdout: "busy"), .init(stdout: "done")],
        ])
        let r = try run(
            """
            runbook: 1
            id: t
            title: T
            recovery:
              - id: one
                run: a
                rollback: {run: undo, retry: {attempts: 3, delay: 2s}, expect: stdout == "done"}
              - {id: two, run: b}
            """, effects: effects)
        #expect(r.finished.outcome == .rolledBack)
        #expect(effects.executed.map { $0.argv.last! } == ["a", "b", "undo", "undo"])
        #expect(effects.sleeps == [.seconds(2)])
    }

    @Test func timeoutIsTimedOutAndRetriesComposePerAttempt() throws {
        let effects = ScriptedEffects(outcomes: ["probe": [.init(timedOut: true), .init(timedOut: true)]])
        let r = try run(
            """
            runbook: 1
            id: t
            title: T
            diagnosis:
              - {id: probe, run: probe, timeout: 2s, retry: {attempts: 2, delay: 1s}}
            """, effects: effects)
        #expect(r.trace == ["start probe", "retry probe 2", "end probe timed_out", "run recovered"])
        #expect(effects.executed.map(\.timeout) == [.seconds(2), .seconds(2)])
        #expect(effects.sleeps == [.seconds(1)])
    }

    @Test func retryWithUntilCountsAttemptsAndBacksOff() throws {
        let effects = ScriptedEffects(outcomes: [
            "healthy": [
                .init(stdout: "{\"status\":\"starting\"}"), .init(stdout: "{\"status\":\"starting\"}"),
                .init(stdout: "{\"status\":\"ok\"}"),
            ]
        ])
        let r = try run(
            """
            runbook: 1
            id: t
            title: T
            verify:
              - id: healthy
                run: curl health
                retry: {attempts: 5, delay: 1s, backoff: 2}
                until: json(stdout).status == "ok"
            """, effects: effects)
        #expect(effects.executed.count == 3)
        #expect(effects.sleeps == [.seconds(1), .seconds(2)])
        #expect(r.trace.last == "run recovered")
    }

    @Test func continuePolicyRecordsAndGoesOn() throws {
        let effects = ScriptedEffects(outcomes: ["look": [.init(exitCode: 7)]])
        let r = try run(
            """
            runbook: 1
            id: t
            title: T
            diagnosis:
              - {id: look, run: look}
              - {id: after, run: after, when: steps.look.exit_code == 7}
            """, effects: effects)
        #expect(r.trace == ["start look", "end look failed", "start after", "end after ok", "run recovered"])
    }

    @Test func abortStopsWithoutRollback() throws {
        let effects = ScriptedEffects(outcomes: ["two": [.init(exitCode: 1)]])
        let r = try run(
            """
            runbook: 1
            id: t
            title: T
            recovery:
              - {id: one, run: a, rollback: {run: undo}}
              - {id: two, run: b, on_failure: abort}
            """, effects: effects)
        #expect(r.finished.outcome == .failed)
        #expect(effects.executed.count == 2)
    }

    static let chooser = """
        runbook: 1
        id: t
        title: T
        params: {pool: {type: string, required: false}}
        recovery:
          - id: remedy
            choose:
              restart: {steps: [{id: restart, run: restart}]}
              scale: {when: params.pool != null, steps: [{id: scale, run: scale}]}
            default: restart
        """

    @Test func chooseUsesTheDefaultWithoutAnOperator() throws {
        let r = try run(Self.chooser)
        #expect(r.trace.contains("choose remedy restart"))
        #expect(r.effects.executed.map { $0.argv.last! } == ["restart"])
    }

    @Test func chooseTakesTheOperatorsPickAndHonoursWhen() throws {
        let picked = try run(Self.chooser, effects: ScriptedEffects(choices: ["remedy": "scale"]), params: ["pool=p1"])
        #expect(picked.effects.executed.map { $0.argv.last! } == ["scale"])
        let forced = try run(Self.chooser, options: RunOptions(choices: ["remedy": "scale"]))
        #expect(forced.finished.exitStatus == .failed, "scale is not offered without a pool")
    }

    @Test func includeRunsTheOtherPlaybookInItsOwnScope() throws {
        let restart = """
            runbook: 1
            id: service-restart
            title: Restart
            params: {service: {type: string}}
            symptoms: [{id: down, run: never}]
            recovery: [{id: restart, run: 'systemctl restart {{ params.service }}'}]
            verify: [{id: healthy, run: check, when: steps.restart.ok}]
            """
        let r = try run(
            """
            runbook: 1
            id: main
            title: Main
            params: {svc: {type: string, default: "api server"}}
            recovery:
              - {id: again, include: service-restart, with: {service: "{{ params.svc }}"}}
            """, others: ["service-restart": restart])
        #expect(
            r.trace == [
                "start again", "start again/restart", "end again/restart ok", "start again/healthy",
                "end again/healthy ok", "end again ok", "run recovered",
            ])
        #expect(r.effects.executed.first?.argv == ["/bin/sh", "-c", #"systemctl restart "${RB_1}""#])
        #expect(r.effects.executed.first?.environment["RB_1"] == "api server")
        #expect(r.effects.executed.first?.display == "systemctl restart 'api server'")
    }

    static let failingProcedure = """
        runbook: 1
        id: notify
        title: Notify
        recovery: [{id: post, run: post}]
        """

    static func host(onFailure: String) -> String {
        """
        runbook: 1
        id: main
        title: Main
        recovery:
          - {id: guard_up, run: harden, rollback: {run: unharden}}
          - {id: tell, include: notify\(onFailure)}
          - {id: after, run: after}
        """
    }

    @Test func anIncludeMarkedContinueFailsAloneAndTheHostGoesOn() throws {
        let effects = ScriptedEffects(outcomes: ["tell/post": [.init(exitCode: 127)]])
        let r = try run(
            Self.host(onFailure: ", on_failure: continue"), effects: effects, others: ["notify": Self.failingProcedure])
        #expect(
            r.trace == [
                "start guard_up", "end guard_up ok", "start tell", "start tell/post", "end tell/post failed",
                "end tell failed", "start after", "end after ok", "run recovered",
            ])
        #expect(!effects.executed.map { $0.argv.last! }.contains("unharden"))
    }

    @Test func anIncludeWithoutItsOwnPolicyStopsAsTheFailedStepSays() throws {
        let effects = ScriptedEffects(outcomes: ["tell/post": [.init(exitCode: 127)]])
        let r = try run(Self.host(onFailure: ""), effects: effects, others: ["notify": Self.failingProcedure])
        #expect(r.finished.outcome == .rolledBack)
        #expect(effects.executed.map { $0.argv.last! } == ["harden", "post", "unharden"])
        let aborted = try run(
            Self.host(onFailure: ", on_failure: abort"),
            effects: ScriptedEffects(outcomes: ["tell/post": [.init(exitCode: 127)]]),
            others: ["notify": Self.failingProcedure])
        #expect(aborted.finished.outcome == .failed)
        #expect(!aborted.trace.contains("start after"))
        #expect(!aborted.effects.executed.map { $0.argv.last! }.contains("unharden"))
    }

    @Test func anIncludeWhoseBindingFailsUnderContinueIsRecordedFailedOnce() throws {
        let procedure = """
            runbook: 1
            id: notify
            title: Notify
            params: {port: {type: int}}
            recovery: [{id: post, run: post}]
            """
        let r = try run(
            """
            runbook: 1
            id: main
            title: Main
            params: {p: {type: string, default: "x"}}
            recovery:
              - {id: tell, include: notify, with: {port: "{{ params.p }}"}, on_failure: continue}
              - {id: after, run: after}
            """, others: ["notify": procedure])
        #expect(r.trace == ["start tell", "end tell failed", "start after", "end after ok", "run recovered"])
    }

    static let restoreThenRestart = """
        runbook: 1
        id: t
        title: T
        recovery:
          - id: backup
            run: backup
            rollback:
              - run: restore
              - {run: restart-again, when: steps.restart.status == "ok"}
          - {id: edit, run: edit}
          - {id: restart, run: restart}
        verify: [{id: healthy, run: check}]
        """

    @Test func aRollbackGuardReadsWhetherALaterStepRan() throws {
        let late = ScriptedEffects(outcomes: ["healthy": [.init(exitCode: 1)]])
        let r = try run(Self.restoreThenRestart, effects: late)
        #expect(r.finished.outcome == .rolledBack)
        #expect(late.executed.map { $0.argv.last! }.suffix(2) == ["restore", "restart-again"])
        let early = ScriptedEffects(outcomes: ["edit": [.init(exitCode: 1)]])
        let e = try run(Self.restoreThenRestart, effects: early)
        #expect(early.executed.map { $0.argv.last! } == ["backup", "edit", "restore"])
        #expect(e.trace.contains("skip backup.rollback.2"))
    }

    @Test func aRollbackGuardThatCannotBeEvaluatedDoesNotRunItsAction() throws {
        let effects = ScriptedEffects(outcomes: ["a": [.init(stdout: "not json")], "c": [.init(exitCode: 1)]])
        let r = try run(
            """
            runbook: 1
            id: t
            title: T
            recovery:
              - {id: a, run: a, outputs: {x: json(stdout).x}, on_failure: continue}
              - {id: b, run: b, rollback: {run: restart, when: steps.a.outputs.x > 1}}
              - {id: c, run: c}
            """, effects: effects)
        #expect(!effects.executed.map { $0.argv.last! }.contains("restart"))
        #expect(r.finished.outcome == .rollbackFailed)
    }

    @Test func rollingBackARecordedRunRendersIncludedStepsInTheirOwnScope() throws {
        let procedure = """
            runbook: 1
            id: scaler
            title: Scaler
            params: {pool: {type: string}}
            recovery:
              - id: grow
                run: grow
                outputs: {was: int(stdout)}
                rollback: {run: 'shrink {{ params.pool }} {{ steps.grow.outputs.was }}', when: steps.grow.outputs.was > 1}
            """
        let compiled = try InlinePlaybooks.compile(
            """
            runbook: 1
            id: main
            title: Main
            params: {name: {type: string, default: w1}}
            recovery:
              - {id: first, run: first, rollback: {run: unfirst}}
              - {id: inc, include: scaler, with: {pool: "{{ params.name }}"}}
              - {id: last, run: last, rollback: {run: unlast}}
            """, others: ["scaler": procedure])
        let graph = try #require(compiled.graph, "\(compiled.diagnostics)")
        let resolved = ParamResolver(params: compiled.playbook.params).resolve(ParamInputs())
        let history = RunHistory(
            run: "r0",
            ended: [
                "first": .init(status: .ok, exitCode: 0, outputs: [:], order: 3),
                "inc/grow": .init(status: .ok, exitCode: 0, outputs: ["was": .number(8)], order: 5),
                "inc": .init(status: .ok, exitCode: nil, outputs: [:], order: 6),
            ],
            indeterminate: ["last"], rolledBack: [])
        let effects = ScriptedEffects()
        let log = EventLog()
        let engine = Engine(
            graph: graph, params: resolved.resolved, options: RunOptions(assumeYes: true), effects: effects,
            observer: log)
        let finished = engine.rollBack(history)
        #expect(effects.executed.map(\.display) == ["shrink w1 8", "unfirst"])
        #expect(finished.notRolledBack == ["last"], "a step that never ended is not assumed under --yes")
        #expect(finished.exitStatus == .rollbackFailed)
    }

    static let withSymptoms = """
        runbook: 1
        id: t
        title: T
        symptoms: [{id: cpu, run: cpu, expect: number(stdout) > 80}]
        recovery: [{id: fix, run: fix}]
        """

    @Test func noSymptomPresentStopsBeforeDiagnosisUnlessForced() throws {
        let calm = ScriptedEffects(outcomes: ["cpu": [.init(stdout: "12.5\n")]])
        let r = try run(Self.withSymptoms, effects: calm)
        #expect(r.finished.outcome == .noSymptoms)
        #expect(r.finished.exitStatus == .success)
        #expect(calm.executed.count == 1)
        let forced = try run(
            Self.withSymptoms, effects: ScriptedEffects(outcomes: ["cpu": [.init(stdout: "1")]]),
            options: RunOptions(force: true))
        #expect(forced.effects.executed.count == 2)
        let hot = try run(Self.withSymptoms, effects: ScriptedEffects(outcomes: ["cpu": [.init(stdout: "93.1")]]))
        #expect(hot.effects.executed.count == 2)
    }

    @Test func yesApprovesEveryConfirmationAndRecordsIt() throws {
        let effects = ScriptedEffects(answers: ["wipe": false])
        let r = try run(
            """
            runbook: 1
            id: t
            title: T
            recovery: [{id: wipe, run: wipe, confirm: {prompt: Wipe?, phrase: wipe it}}]
            """, effects: effects, options: RunOptions(assumeYes: true))
        #expect(r.trace.first == "confirm wipe yes")
        guard case .confirmation(let c) = r.log.events[1] else { return }
        #expect(c.approvedBy == "--yes")
    }

    @Test func interruptAsksAndRollsBack() throws {
        let effects = ScriptedEffects()
        effects.interruptBefore = "two"
        let r = try run(
            """
            runbook: 1
            id: t
            title: T
            recovery:
              - {id: one, run: a, rollback: {run: undo-a}}
              - {id: two, run: b}
            """, effects: effects)
        #expect(r.finished.outcome == .interrupted)
        #expect(r.finished.exitStatus == .declined)
        #expect(effects.executed.map { $0.argv.last! } == ["a", "undo-a"])
    }

    @Test func dryRunExecutesNothingAndPlansEveryOptionWithUndeterminedGuards() throws {
        let log = EventLog()
        let graph = try #require(
            try InlinePlaybooks.compile(
                """
                runbook: 1
                id: t
                title: T
                diagnosis: [{id: look, run: look}]
                recovery:
                  - {id: fix, run: fix, when: steps.look.exit_code == 0, confirm: Fix?}
                  - id: remedy
                    choose:
                      a: {steps: [{id: in_a, run: a}]}
                      b: {steps: [{id: in_b, run: b}]}
                    default: a
                """
            ).graph)
        let finished = Engine(
            graph: graph, params: ResolvedParams(values: [:], secretNames: []),
            options: RunOptions(mode: .dryRun), effects: DryRunEffects(), observer: log
        ).run()
        #expect(finished.exitStatus == .success)
        #expect(
            log.trace == [
                "start look", "end look planned", "confirm fix not asked", "start fix", "end fix planned",
                "start remedy", "choose remedy *", "start in_a", "end in_a planned", "start in_b", "end in_b planned",
                "end remedy ok", "run planned",
            ])
        let fix = log.events.compactMap { event -> StepStarted? in
            if case .stepStarted(let s) = event, s.id == "fix" { return s }
            return nil
        }.first
        #expect(fix?.guardRecord?.state == .undetermined)
    }
}
