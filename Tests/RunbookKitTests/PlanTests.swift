import Glibc
import RunbookProcess
import RunbookTestSupport
import Testing

@testable import RunbookEffects
@testable import RunbookEngine
@testable import RunbookEvents

/// A dry-run's plan never misleads: it never rolls back, never judges what it did not run, and
/// writes in every value it knows.
extension EngineTests {
    static let fixThenVerify = """
        runbook: 1
        id: t
        title: T
        recovery:
          - {id: fix, run: touch fixed, rollback: {run: rm -f fixed}}
        verify:
          - {id: check, readonly: true, run: test -f fixed}
        """

    private func plan(_ yaml: String, probe: ScriptedEffects?, params: [String] = []) throws -> (RunFinished, EventLog)
    {
        try execute(yaml, effects: DryRunEffects(probe: probe), options: RunOptions(mode: .dryRun), params: params)
    }

    @Test func probeDoesNotRunReadOnlyStepsAfterAPlannedChange() throws {
        let probe = ScriptedEffects(outcomes: ["check": [.init(exitCode: 1)]])
        let (finished, log) = try plan(Self.fixThenVerify, probe: probe)
        #expect(log.trace == ["start fix", "end fix planned", "start check", "end check planned", "run planned"])
        #expect(probe.executed.isEmpty)
        #expect(
            log.finished("check")?.message == "not probed: it runs after 'fix', which this dry-run does not execute")
        #expect(finished.outcome == .planned && finished.exitStatus == .success)
    }

    @Test func aFailingProbeStopsThePlanWithoutRollingBack() throws {
        let probe = ScriptedEffects(outcomes: ["look": [.init(exitCode: 1)]])
        let (finished, log) = try plan(
            """
            runbook: 1
            id: t
            title: T
            recovery:
              - {id: look, run: inspect, readonly: true}
              - {id: fix, run: fix, rollback: {run: unfix}}
            """, probe: probe)
        #expect(log.trace == ["start look", "end look failed", "run planned"])
        #expect(probe.executed.map(\.stepID) == ["look"])
        #expect(log.notices == ["a live run would stop at 'look' and roll nothing back"])
        #expect(finished.outcome == .planned && finished.exitStatus == .success)
    }

    @Test func aPlannedFailureNamesTheRollbackALiveRunWouldDo() throws {
        let (finished, log) = try plan(
            """
            runbook: 1
            id: t
            title: T
            recovery:
              - {id: fix, run: fix, rollback: {run: unfix}}
              - {id: again, run: again, rollback: {run: unagain}}
              - {id: sure, assert: "params.ready == true"}
            params: {ready: {type: bool, default: false}}
            """, probe: nil)
        #expect(
            log.trace == [
                "start fix", "end fix planned", "start again", "end again planned", "start sure", "end sure failed",
                "run planned",
            ])
        #expect(log.notices == ["a live run would stop at 'sure' and roll back 'again', 'fix'"])
        #expect(finished.exitStatus == .success)
    }

    @Test func checksThatReadAnUnrunStepAreLeftForTheLiveRun() throws {
        let probe = ScriptedEffects(outcomes: ["after": [.init(exitCode: 0, stdout: "f\n")]])
        let (finished, log) = try plan(
            """
            runbook: 1
            id: t
            title: T
            diagnosis:
              - {id: pause, wait: 1s}
              - {id: after, run: inspect, expect: steps.pause.ok}
              - {id: sure, assert: steps.pause.ok}
            recovery:
              - {id: fix, run: fix}
            """, probe: probe)
        #expect(probe.executed.map(\.stepID) == ["after"])
        #expect(log.finished("after")?.status == .planned)
        #expect(
            log.finished("after")?.message
                == "expect cannot be judged yet: it reads 'pause', which this dry-run did not run")
        #expect(
            log.finished("sure")?.message
                == "assert cannot be judged yet: it reads 'pause', which this dry-run did not run")
        #expect(finished.outcome == .planned)
    }

    @Test func planWritesInKnownValuesAndNamesTheUnknownOnes() throws {
        let (_, log) = try plan(
            """
            runbook: 1
            id: t
            title: T
            params:
              ballast: {type: string, default: /var/tmp/ballast}
              token: {type: string, default: s3cr3t-value, secret: true}
            diagnosis:
              - id: size
                run: du -sb /var
                outputs: {bytes: trim(stdout)}
              - id: check
                when: steps.size.ok
                run: echo checking
            recovery:
              - id: fill
                run: fallocate -l {{ steps.size.outputs.bytes }} {{ params.ballast }}
                env: {TOKEN: "{{ params.token }}", SIZE: "{{ steps.size.outputs.bytes }}", PLAIN: fixed}
                confirm: Fill {{ params.ballast }} with {{ steps.size.outputs.bytes }} bytes?
            """, probe: nil)
        let started = log.started("fill")
        #expect(started?.display == #"fallocate -l ⟨steps.size.outputs.bytes⟩ /var/tmp/ballast"#)
        #expect(started?.environment == ["TOKEN": "***", "SIZE": "⟨steps.size.outputs.bytes⟩", "PLAIN": "fixed"])
        #expect(started?.confirm == "Fill /var/tmp/ballast with ⟨steps.size.outputs.bytes⟩ bytes?")
        let skipped = log.started("check")?.guardRecord
        #expect(skipped?.state == .undetermined)
        #expect(skipped?.values == ["steps.size.ok": "⟨not run yet⟩"])
    }
}

/// Outcomes that say what happened: a mistyped phrase is asked again; nothing to undo is not a rollback.
extension EngineTests {
    static let typedPhrase = """
        runbook: 1
        id: t
        title: T
        recovery:
          - {id: drain, run: drain, rollback: {run: undrain}}
          - {id: wipe, run: wipe, confirm: {prompt: Wipe the replica?, phrase: wipe-replica}}
        """

    @Test func aMistypedPhraseIsAskedAgainAndEachTryIsRecorded() throws {
        let effects = ScriptedEffects()
        effects.typed = ["wipe": ["wipe-replca", "wipe-replica"]]
        let (finished, log) = try execute(Self.typedPhrase, effects: effects)
        #expect(
            log.trace == [
                "start drain", "end drain ok", "confirm wipe mistyped", "confirm wipe yes", "start wipe", "end wipe ok",
                "run recovered",
            ])
        let typed = log.events.compactMap { event -> String? in
            if case .confirmation(let c) = event { return c.typed }
            return nil
        }
        #expect(typed == ["wipe-replca"])
        #expect(finished.outcome == .recovered)
    }

    @Test func threeMistypedPhrasesDeclineTheStep() throws {
        let effects = ScriptedEffects()
        effects.typed = ["wipe": ["a", "b", "c", "wipe-replica"]]
        let (finished, log) = try execute(Self.typedPhrase, effects: effects)
        #expect(
            log.trace == [
                "start drain", "end drain ok", "confirm wipe mistyped", "confirm wipe mistyped",
                "confirm wipe mistyped",
                "rollback drain.rollback ok", "run declined",
            ])
        #expect(finished.exitStatus == .declined)
    }

    @Test func aFailureWithNothingToUndoEndsFailedAndNamesWhatStays() throws {
        let effects = ScriptedEffects(outcomes: ["restart": [.init(exitCode: 1)]])
        let (finished, log) = try execute(
            """
            runbook: 1
            id: t
            title: T
            diagnosis:
              - {id: look, run: inspect}
            recovery:
              - {id: scale, run: scale-up}
              - {id: flush, run: flush-cache}
              - {id: restart, run: restart}
            """, effects: effects)
        #expect(log.trace.last == "run failed")
        #expect(finished.outcome == .failed && finished.exitStatus == .failed)
        #expect(finished.failedStep == "restart")
        #expect(finished.leftInPlace == ["scale", "flush"])
    }

    @Test func aRecoveredRunLeavesNothingToList() throws {
        let (finished, _) = try execute(
            """
            runbook: 1
            id: t
            title: T
            recovery:
              - {id: scale, run: scale-up}
            """, effects: ScriptedEffects())
        #expect(finished.outcome == .recovered)
        #expect(finished.leftInPlace.isEmpty)
    }
}

/// `outputs` are computed from every attempt with a result, and `expect`/`until` may read them.
extension EngineTests {
    @Test func expectReadsTheSameAttemptsOutputs() throws {
        let effects = ScriptedEffects(outcomes: ["poll": [.init(stdout: "3\n"), .init(stdout: "5\n")]])
        let (finished, log) = try execute(
            """
            runbook: 1
            id: t
            title: T
            verify:
              - id: poll
                run: count-ready
                outputs:
                  ready: number(stdout)
                until: outputs.ready >= 5
                retry: {attempts: 3, delay: 1s}
            """, effects: effects)
        #expect(log.trace == ["start poll", "retry poll 2", "end poll ok", "run recovered"])
        #expect(finished.outcome == .recovered)
    }

    @Test func aFailedStepStillComputesItsOutputs() throws {
        let effects = ScriptedEffects(outcomes: ["look": [.init(exitCode: 2, stdout: "pid=4242\n")]])
        let (_, log) = try execute(
            """
            runbook: 1
            id: t
            title: T
            diagnosis:
              - id: look
                run: find-it
                outputs:
                  pid: trim(stdout)
                  broken: number(stdout)
            """, effects: effects)
        let look = log.finished("look")
        #expect(look?.status == .failed)
        #expect(look?.outputs == ["pid": "pid=4242", "broken": "null"])
    }

    @Test func anOutputThatCannotBeComputedFailsAStepThatOtherwiseSucceeded() throws {
        let effects = ScriptedEffects(outcomes: ["look": [.init(stdout: "not a number\n")]])
        let (finished, log) = try execute(
            """
            runbook: 1
            id: t
            title: T
            recovery:
              - id: look
                run: count
                outputs: {n: number(stdout)}
            """, effects: effects)
        let look = log.finished("look")
        #expect(look?.status == .failed)
        #expect(look?.message?.hasPrefix("output 'n': ") == true)
        #expect(finished.outcome == .failed)
    }
}

/// `retry.within`: poll until it passes, for up to a deadline.
extension EngineTests {
    static let pollWithin = """
        runbook: 1
        id: t
        title: T
        verify:
          - id: healthy
            run: curl -fsS localhost/health
            retry: {within: 2m, delay: 30s}
        """

    @Test func withinRetriesUntilItPasses() throws {
        let effects = ScriptedEffects(outcomes: [
            "healthy": [.init(exitCode: 7), .init(exitCode: 7), .init(exitCode: 0)]
        ])
        let (finished, log) = try execute(Self.pollWithin, effects: effects)
        #expect(
            log.trace == ["start healthy", "retry healthy 2", "retry healthy 3", "end healthy ok", "run recovered"])
        #expect(effects.sleeps == [.seconds(30), .seconds(30)])
        #expect(finished.outcome == .recovered)
    }

    @Test func withinStartsNoAttemptAfterTheDeadline() throws {
        let effects = ScriptedEffects(outcomes: ["healthy": [.init(exitCode: 7, duration: 10)]])
        let (finished, log) = try execute(Self.pollWithin, effects: effects)
        // Attempts at 0s, 40s, 80s; the next would start at 120s, at the deadline.
        #expect(
            log.trace == ["start healthy", "retry healthy 2", "retry healthy 3", "end healthy failed", "run failed"])
        let end = log.finished.last
        #expect(end?.message == "still failing (retry window of 2m ended)")
        #expect(finished.outcome == .failed)
    }

    @Test func attemptsAndWithinTogetherStopAtWhicheverComesFirst() throws {
        let effects = ScriptedEffects(outcomes: ["healthy": [.init(exitCode: 7)]])
        let (_, log) = try execute(
            Self.pollWithin.replacingOccurrences(
                of: "{within: 2m, delay: 30s}", with: "{attempts: 2, within: 2m, delay: 30s}"),
            effects: effects)
        #expect(log.trace == ["start healthy", "retry healthy 2", "end healthy failed", "run failed"])
        let start = log.started.first
        #expect(start?.attempts == 2 && start?.within == "2m")
    }
}

/// Second round: what a new user found misleading in plans and outcomes.
extension EngineTests {
    @Test func aPlanShowsAPlaceholderEvenWhereDefaultWouldGuess() throws {
        let (_, log) = try execute(
            """
            runbook: 1
            id: t
            title: T
            diagnosis:
              - {id: d, run: echo 5, outputs: {n: number(stdout)}}
            recovery:
              - id: r1
                title: "Scale to {{ default(steps.d.outputs.n, 1) }}"
                run: "echo scale {{ default(steps.d.outputs.n, 1) }}"
                env: {COUNT: "{{ default(steps.d.outputs.n, 0) }}"}
                confirm: "Scale from {{ default(steps.d.outputs.n, 1) }}?"
            """, effects: DryRunEffects(), options: RunOptions(mode: .dryRun))
        let r1 = log.started("r1")
        #expect(r1?.title == "Scale to ⟨default(steps.d.outputs.n, 1)⟩")
        #expect(r1?.display == "echo scale ⟨default(steps.d.outputs.n, 1)⟩")
        #expect(r1?.environment == ["COUNT": "⟨default(steps.d.outputs.n, 0)⟩"])
        #expect(r1?.confirm == "Scale from ⟨default(steps.d.outputs.n, 1)⟩?")
    }

    /// A plan of many steps takes seconds: Ctrl-C or SIGTERM stops it between two steps, as it
    /// stops a live run, and nothing is rolled back (nothing ran).
    @Test func anInterruptedPlanStopsAtTheNextStep() throws {
        let interruption = Interruption()
        interruption.interrupt(signal: SIGTERM)
        let (finished, log) = try execute(
            """
            runbook: 1
            id: t
            title: T
            recovery:
              - {id: one, run: "true"}
              - {id: two, run: "true"}
            """, effects: DryRunEffects(interruption: interruption), options: RunOptions(mode: .dryRun))
        #expect(finished.outcome == .interrupted && finished.exitStatus == .declined)
        #expect(finished.signal == "SIGTERM")
        #expect(log.started("one") == nil)
        #expect(finished.notRolledBack.isEmpty)
    }

    @Test func probeRunsNothingALiveRunMayNotReach() throws {
        let probe = ScriptedEffects(outcomes: ["gr_check": [.init(exitCode: 1)], "fallback2": [.init(exitCode: 1)]])
        let (finished, log) = try execute(
            """
            runbook: 1
            id: t
            title: T
            diagnosis:
              - {id: look, run: inspect}
              - {id: plan, wait: 1s}
              - {id: fallback2, run: check, when: steps.plan.ok}
            recovery:
              - id: how
                default: systemd
                choose:
                  graceful: {steps: [{id: gr_check, run: "false", readonly: true}]}
                  systemd: {steps: [{id: sd_check, run: "true", readonly: true}]}
            """, effects: DryRunEffects(probe: probe), options: RunOptions(mode: .dryRun))
        #expect(probe.executed.map(\.stepID) == ["look"])
        #expect(
            log.finished("fallback2")?.message
                == "not probed: its guard cannot be decided before the steps it reads have run")
        #expect(
            log.finished("gr_check")?.message
                == "not probed: it is in option graceful of how, which a live run may not take")
        #expect(finished.outcome == .planned && finished.exitStatus == .success)
    }

    @Test func aProbeThatRanEveryStepStillEndsPlanned() throws {
        let (finished, _) = try execute(
            """
            runbook: 1
            id: t
            title: T
            diagnosis:
              - {id: look, run: inspect}
            """, effects: DryRunEffects(probe: ScriptedEffects()), options: RunOptions(mode: .dryRun))
        #expect(finished.outcome == .planned)
    }

    @Test func anIncludeBoundToAnUnknownValueIsPlannedWithPlaceholders() throws {
        let (finished, log) = try execute(
            """
            runbook: 1
            id: t
            title: T
            diagnosis:
              - {id: d1, run: echo 42, outputs: {v: trim(stdout)}}
            recovery:
              - {id: inc, include: child, with: {who: "x{{ steps.d1.outputs.v }}"}}
            """, effects: DryRunEffects(), options: RunOptions(mode: .dryRun),
            others: [
                "child": """
                runbook: 1
                id: child
                title: Child
                params: {who: {type: string, required: true}}
                recovery:
                  - {id: greet, run: "echo hello {{ params.who }}"}
                """
            ])
        #expect(log.started("inc/greet")?.display == "echo hello ⟨params.who⟩")
        #expect(finished.outcome == .planned)
    }

    @Test func rollbacksSkippedByTheirGuardsAreNotARollback() throws {
        let effects = ScriptedEffects(outcomes: ["bad": [.init(exitCode: 1)]])
        let (finished, log) = try execute(
            """
            runbook: 1
            id: t
            title: T
            params: {undo: {type: bool, default: false}}
            recovery:
              - {id: a, run: touch a, rollback: {when: params.undo, run: rm -f a}}
              - {id: bad, run: "false"}
            """, effects: effects)
        #expect(log.trace.last == "run failed")
        #expect(finished.leftInPlace == ["a"])
    }

    @Test func abortNamesTheCompletedStepsItDidNotRollBack() throws {
        let effects = ScriptedEffects(outcomes: ["c": [.init(exitCode: 1)]])
        let (finished, _) = try execute(
            """
            runbook: 1
            id: t
            title: T
            recovery:
              - {id: a, run: a}
              - {id: b, run: b, rollback: {run: unb}}
              - {id: c, run: c, on_failure: abort}
            """, effects: effects)
        #expect(finished.outcome == .failed)
        #expect(finished.leftInPlace == ["a"])
        #expect(finished.notRolledBack == ["b"])
    }

    @Test func aFailedVerificationIsNotRecoveredEvenWhenItContinues() throws {
        let effects = ScriptedEffects(outcomes: ["healthy": [.init(exitCode: 1)]])
        let (finished, _) = try execute(
            """
            runbook: 1
            id: t
            title: T
            recovery:
              - {id: fix, run: fix}
            verify:
              - {id: healthy, run: check, on_failure: continue}
              - {id: also, run: check2, on_failure: continue}
            """, effects: effects)
        #expect(finished.outcome == .failed && finished.failedStep == "healthy")
        #expect(finished.exitStatus == .failed)
    }
}

/// A tabletop drill: the facilitator answers for every step; nothing is executed.
extension EngineTests {
    @Test func aTabletopDrillAsksTheFacilitatorForEveryOutcome() throws {
        var answers = ["1 pool exhausted", "", "scale", "y", "0", "0"]
        var asked: [String] = []
        let effects = TabletopEffects { question in
            asked.append(question)
            return answers.isEmpty ? nil : answers.removeFirst()
        }
        let (finished, log) = try execute(
            """
            runbook: 1
            id: t
            title: T
            diagnosis:
              - {id: look, run: check-pool}
              - {id: again, run: check-again}
            recovery:
              - id: remedy
                default: restart
                choose:
                  restart: {steps: [{id: restart, run: restart}]}
                  scale: {steps: [{id: scale, run: scale-up, confirm: Scale up?}]}
            verify:
              - {id: healthy, run: curl health}
            """, effects: effects)
        #expect(
            log.trace == [
                "start look", "end look failed", "start again", "end again ok", "start remedy", "choose remedy scale",
                "confirm scale yes", "start scale", "end scale ok", "end remedy ok", "start healthy", "end healthy ok",
                "run recovered",
            ])
        #expect(
            asked.first == "\n  step look: check-pool\n  exit code, then optionally output after a space (empty: 0): ")
        #expect(finished.outcome == .recovered)
    }
}

/// Game days on scripted effects: the revert runs whatever happened after the injection.
extension EngineTests {
    static let gameDay = """
        runbook: 1
        id: t
        title: T
        symptoms:
          - {id: failing, run: check}
        recovery:
          - {id: fix, run: fix}
        gameday:
          inject: [{id: inject, run: break}]
          revert: [{id: revert, run: unbreak}]
        """

    private func gameDay(_ effects: ScriptedEffects) throws -> (GameDayResult, EventLog) {
        let compiled = try InlinePlaybooks.compile(Self.gameDay)
        let graph = try #require(compiled.graph)
        let log = EventLog()
        let engine = Engine(
            graph: graph, params: ResolvedParams(values: [:], secretNames: []), options: RunOptions(mode: .gameday),
            effects: effects, observer: log)
        return (engine.gameDay(detectWithin: .seconds(10), interval: .seconds(1)), log)
    }

    @Test func aGameDayDetectsRecoversAndReverts() throws {
        let effects = ScriptedEffects(outcomes: [
            "failing": [.init(exitCode: 1), .init(exitCode: 1), .init(), .init(), .init(exitCode: 1)]
        ])
        let (day, log) = try gameDay(effects)
        #expect(
            effects.executed.map(\.stepID) == [
                "failing", "inject", "failing", "failing", "failing", "fix", "revert", "failing",
            ])
        #expect(day.detectMS == 1000, "detected at the second poll, one interval later")
        #expect(day.recovery == .recovered && day.reverted && day.steadyAfter && day.succeeded)
        #expect(log.trace.last == "run recovered")
    }

    @Test func anInterruptedGameDayStillReverts() throws {
        let effects = ScriptedEffects(outcomes: ["failing": [.init(exitCode: 1), .init(), .init(), .init(exitCode: 1)]])
        effects.interruptBefore = "fix"
        let (day, log) = try gameDay(effects)
        #expect(effects.executed.map(\.stepID).suffix(2) == ["revert", "failing"])
        #expect(day.recovery == .interrupted && day.reverted && !day.succeeded)
        #expect(log.trace.last == "run interrupted")
    }

    @Test func aGameDayRefusesWhenNotAtSteadyState() throws {
        let effects = ScriptedEffects()
        let (day, _) = try gameDay(effects)
        #expect(day.refused && !day.injected)
        #expect(effects.executed.map(\.stepID) == ["failing"], "nothing was injected")
        #expect(day.finished.exitStatus == .failed)
    }
}

extension EngineTests {
    @Test func aPlanShowsEachRollbackActionsGuard() throws {
        let (_, log) = try execute(
            """
            runbook: 1
            id: t
            title: T
            params: {undo: {type: bool, default: false}}
            recovery:
              - {id: a, run: touch a, rollback: {when: params.undo, run: rm -f a}}
            """, effects: DryRunEffects(), options: RunOptions(mode: .dryRun))
        let start = log.started.first
        #expect(start?.rollback == ["rm -f a (only when params.undo)"])
    }
}

extension EngineTests {
    @Test func atATerminalAStepTheScenarioDoesNotScriptIsAskedFor() throws {
        var asked: [String] = []
        let effects = ScriptedEffects(outcomes: ["a": [.init(stdout: "scripted\n")]])
        effects.scripted = ["a"]
        effects.unscriptedAnswers = TabletopEffects { question in
            asked.append(question)
            return "3"
        }
        let (finished, log) = try execute(
            """
            runbook: 1
            id: t
            title: T
            diagnosis:
              - {id: a, run: first}
              - {id: b, run: second, on_failure: abort}
            """, effects: effects)
        #expect(asked.count == 1 && asked[0].contains("step b: second"))
        #expect(effects.unscripted.isEmpty, "the facilitator answered for it")
        #expect(log.trace.contains("end b failed"))
        #expect(finished.outcome == .failed)
    }
}

extension EngineTests {
    @Test func whatWasTypedForASecretPhraseIsNotRecorded() throws {
        let effects = ScriptedEffects()
        effects.typed = ["wipe": ["s3cr3t-phras", "s3cr3t-phrase"]]
        let (finished, log) = try execute(
            """
            runbook: 1
            id: t
            title: T
            params: {phrase: {type: string, default: s3cr3t-phrase, secret: true}}
            recovery:
              - {id: wipe, run: wipe, confirm: {prompt: Wipe?, phrase: "{{ params.phrase }}"}}
            """, effects: effects)
        let answers = log.events.compactMap { event -> ConfirmationRecord? in
            if case .confirmation(let c) = event { return c }
            return nil
        }
        #expect(answers.map(\.answer) == [.mistyped, .yes])
        #expect(answers.allSatisfy { $0.typed == nil }, "a near-miss of a secret is a secret")
        #expect(finished.outcome == .recovered)
    }
}
