import RunbookTestSupport
import Testing

@testable import RunbookBasics
@testable import RunbookDiagnostics
@testable import RunbookPlaybook
@testable import RunbookYAML

/// One fixture per error kind, each with the exact position and message it must produce.
@Suite struct PlaybookDecoderTests {
    struct Expected: Sendable, CustomTestStringConvertible {
        var fixture: String
        var line: Int
        var column: Int
        var message: String
        var hint: String? = nil

        var testDescription: String { fixture }
    }

    static let cases: [Expected] = [
        .init(
            fixture: "unknown-key.yaml", line: 7, column: 5, message: "unknown key 'tiemout' in a step",
            hint: "did you mean 'timeout'?"),
        .init(
            fixture: "unknown-top-level-key.yaml", line: 4, column: 1, message: "unknown key 'sympotms' in a playbook",
            hint: "did you mean 'symptoms'?"),
        .init(fixture: "missing-id.yaml", line: 1, column: 1, message: "the playbook is missing required key 'id'"),
        .init(fixture: "missing-step-id.yaml", line: 5, column: 5, message: "the step is missing required key 'id'"),
        .init(
            fixture: "bad-playbook-id.yaml", line: 2, column: 5, message: "invalid playbook id 'High_CPU'",
            hint: "playbook ids match [a-z0-9][a-z0-9-]*"),
        .init(fixture: "bad-step-id.yaml", line: 5, column: 9, message: "invalid step id 'Look-Around'"),
        .init(
            fixture: "two-actions.yaml", line: 7, column: 5,
            message: "the step has more than one action ('run' and 'manual')"),
        .init(fixture: "no-action.yaml", line: 5, column: 5, message: "the step has no action"),
        .init(fixture: "bad-duration.yaml", line: 7, column: 14, message: "expected a duration, found '5 minutes'"),
        .init(fixture: "bad-severity.yaml", line: 4, column: 11, message: "unknown severity 'P5'"),
        .init(fixture: "no-steps.yaml", line: 1, column: 1, message: "the playbook has no steps"),
        .init(fixture: "bad-version.yaml", line: 1, column: 10, message: "unsupported format version 2"),
        .init(
            fixture: "bad-choose-default.yaml", line: 11, column: 14,
            message: "default option 'restrat' is not one of the options", hint: "did you mean 'restart'?"),
        .init(fixture: "rollback-with-id.yaml", line: 8, column: 7, message: "a rollback action has no id of its own"),
        .init(
            fixture: "empty.yaml", line: 1, column: 1, message: "the file holds no YAML document",
            hint: PlaybookDecoder.emptyFileHint),
        .init(
            fixture: "only-comments.yaml", line: 1, column: 1, message: "the file holds no YAML document",
            hint: PlaybookDecoder.emptyFileHint),
    ]

    @Test(arguments: cases)
    func eachErrorKindIsReportedAtItsNode(_ expected: Expected) throws {
        let result = PlaybookDecoder.load(path: Fixtures.path("invalid/\(expected.fixture)"))
        #expect(result.playbook == nil)
        let d = try #require(result.diagnostics.first)
        #expect(result.diagnostics.count == 1, "\(result.diagnostics)")
        #expect(d.severity == .error)
        #expect(d.location.line == expected.line)
        #expect(d.location.column == expected.column)
        #expect(d.message == expected.message)
        if let hint = expected.hint { #expect(d.hint == hint) }
    }

    /// A playbook keeps its phases' steps by each phase's index, which is its place in the order phases run.
    @Test func aPhasesIndexIsItsPlaceInTheOrderPhasesRun() {
        #expect(Phase.allCases.map(\.index) == Array(0..<Phase.allCases.count))
        #expect(Phase.allCases.sorted() == Phase.allCases)
        #expect(
            Phase.symptoms < .diagnosis && .diagnosis < .recovery && .recovery < .verify && !(Phase.verify < .verify))
    }

    @Test func allErrorsOfAFileAreCollectedInOnePass() {
        let result = PlaybookDecoder.load(path: Fixtures.path("invalid/wrong-type.yaml"))
        #expect(
            result.diagnostics.map(\.description) == [
                "\(Fixtures.path("invalid/wrong-type.yaml")):7:15: error: expected true or false, found 'yes'",
                "\(Fixtures.path("invalid/wrong-type.yaml")):8:24: error: expected an integer, found a string",
            ])
        #expect(result.diagnostics[0].hint == "playbooks follow YAML 1.2: write true or false")
    }

    @Test func paramConstraintsAreCheckedIncludingTheDefault() {
        let result = PlaybookDecoder.load(path: Fixtures.path("invalid/bad-param.yaml"))
        #expect(
            result.diagnostics.map { "\($0.location.line):\($0.location.column) \($0.message)" } == [
                "5:33 default of param 'target' must be at most 200 (got 500)",
                "6:18 unknown param type 'integer'",
                "7:34 invalid pattern: '([a-z' is not a valid regular expression",
            ])
    }

    @Test func specExampleDecodesEveryKey() throws {
        let result = PlaybookDecoder.load(path: Fixtures.path("valid/spec-example.yaml"))
        #expect(result.diagnostics.isEmpty)
        let p = try #require(result.playbook)
        #expect(p.id.value == "spec-example")
        #expect(p.severity?.value == .P2)
        #expect(p.escalation == [Escalation(after: .minutes(60), to: "Tech Lead", note: nil)])
        #expect(p.params.map(\.name) == ["service", "health_url", "pool_id", "target", "token"])
        #expect(p.param(named: "target")?.defaultValue == .int(10))
        #expect(p.param(named: "target")?.max == 200)
        #expect(p.param(named: "token")?.secret == true)
        #expect(p.param(named: "token")?.env == "MAHAVISHNU_TOKEN")
        #expect(p.param(named: "pool_id")?.required == false)
        #expect(p.param(named: "service")?.required == false)
        let verify = try #require(p.steps(.verify).first)
        #expect(verify.retry?.attempts == 12)
        #expect(verify.retry?.delay == .seconds(5))
        #expect(verify.expect?.value == "json(stdout).status == \"ok\"")
        guard case .choose(let choice) = p.steps(.recovery).first?.action else {
            Issue.record("recovery step is not a choose")
            return
        }
        #expect(choice.options.map(\.name.value) == ["restart", "scale"])
        #expect(choice.defaultOption?.value == "restart")
        #expect(choice.options[1].steps.first?.rollback.count == 1)
        #expect(choice.options[0].steps.first?.confirm?.prompt?.value == "Restart {{ params.service }} now?")
    }

    @Test func confirmAcceptsTruePromptAndPhrase() throws {
        let yaml = """
            runbook: 1
            id: c
            title: C
            recovery:
              - {id: a, run: x, confirm: true}
              - {id: b, run: x, confirm: Sure?}
              - {id: c, run: x, confirm: {prompt: Delete?, phrase: delete everything}}
              - {id: d, run: x, confirm: false}
            """
        var decoder = PlaybookDecoder(file: "c.yaml")
        let root = try #require(YAML.parse(yaml, file: "c.yaml").root)
        let decoded = decoder.decode(root)
        let p = try #require(decoded)
        #expect(decoder.diagnostics.isEmpty)
        let confirms = p.steps(.recovery).map(\.confirm)
        #expect(confirms[0]?.prompt == nil && confirms[0]?.phrase == nil && confirms[0] != nil)
        #expect(confirms[1]?.prompt?.value == "Sure?")
        #expect(confirms[2]?.phrase?.value == "delete everything")
        #expect(confirms[3] == nil)
    }

    @Test func aSymptomFanOutHasNoFailureBudget() throws {
        let yaml = """
            runbook: 1
            id: s
            title: S
            symptoms:
              - {id: a, foreach: [x, y], readonly: true, run: 'true', max_failures: 1}
              - id: g
                steps:
                  - {id: b, foreach: [x], readonly: true, run: 'true', max_failures: 50%}
            recovery:
              - {id: c, foreach: [x, y], run: 'true', max_failures: 1}
            """
        var decoder = PlaybookDecoder(file: "s.yaml")
        _ = decoder.decode(try #require(YAML.parse(yaml, file: "s.yaml").root))
        #expect(
            decoder.diagnostics.map { "\($0.location.line):\($0.location.column) \($0.message)" } == [
                "5:73 max_failures has no meaning on a symptom: every item is probed, and the symptom is present when any item finds it",
                "8:74 max_failures has no meaning on a symptom: every item is probed, and the symptom is present when any item finds it",
            ])
    }

    @Test func parallelIsForTheCommandsOfAFanOut() throws {
        let yaml = """
            runbook: 1
            id: p
            title: P
            recovery:
              - {id: a, run: 'true', parallel: 2}
              - {id: b, foreach: [x], manual: Do it, parallel: 2}
              - {id: c, foreach: [x], run: 'true', parallel: 0}
              - {id: d, foreach: [x], run: 'true', detach: true, parallel: 2}
              - {id: e, foreach: [x], run: 'true', parallel: 2}
            """
        var decoder = PlaybookDecoder(file: "p.yaml")
        let root = try #require(YAML.parse(yaml, file: "p.yaml").root)
        let decoded = decoder.decode(root)
        let playbook = try #require(decoded)
        #expect(
            decoder.diagnostics.map { "\($0.location.line):\($0.location.column) \($0.message)" } == [
                "5:26 parallel applies to a step with foreach or on",
                "6:42 parallel runs commands at once; a manual step's items run one at a time",
                "7:50 parallel must be at least 1, got 0",
                "8:54 parallel cannot be combined with detach: a detached step's items run one at a time",
            ])
        #expect(playbook.steps(.recovery).last?.parallel?.value == 2)
    }

    @Test func onOnAGroupOrAPhaseReachesEveryRunStepInside() throws {
        let yaml = """
            runbook: 1
            id: g
            title: G
            diagnosis:
              on: web
              steps:
                - {id: look, run: uptime}
                - {id: here, run: date, on: web-1}
            recovery:
              - id: both
                on: [web-2]
                steps:
                  - {id: stop, run: 'systemctl stop api'}
                  - {id: tell, manual: Tell the team}
                  - id: pick
                    choose:
                      a: {steps: [{id: start, run: 'systemctl start api'}]}
              - id: bad
                on: web
                steps:
                  - {id: each, foreach: [a], run: 'echo {{ item }}'}
            """
        var decoder = PlaybookDecoder(file: "g.yaml")
        let root = try #require(YAML.parse(yaml, file: "g.yaml").root)
        let decoded = decoder.decode(root)
        let playbook = try #require(decoded)
        #expect(
            decoder.diagnostics.map { "\($0.location.line):\($0.location.column) \($0.message)" } == [
                "21:9 step 'each' has foreach, so it cannot also run on the hosts of on: web"
            ])
        #expect(playbook.steps(.diagnosis).map { $0.on?.text } == ["web", "web-1"])
        guard case .group(let inside) = playbook.steps(.recovery)[0].action else {
            Issue.record("not a group")
            return
        }
        #expect(inside.map { $0.on?.text } == ["web-2", nil, nil])
        guard case .choose(let choice) = inside[2].action else {
            Issue.record("not a choose")
            return
        }
        #expect(choice.options[0].steps[0].on?.text == "web-2")
    }

    @Test func anEmptyFileSaysWhatAPlaybookNeeds() {
        let path = Fixtures.path("invalid/empty.yaml")
        let result = PlaybookDecoder.load(path: path)
        #expect(result.diagnostics.map(\.description) == ["\(path):1:1: error: the file holds no YAML document"])
        #expect(
            result.diagnostics.first?.hint
                == "a playbook needs at least 'runbook: 1', an 'id', a 'title' and one step under symptoms, diagnosis, recovery or verify"
        )
    }

    @Test func retryNeedsAttemptsOrWithinAndTakesEither() throws {
        func findings(_ retry: String) throws -> [String] {
            let yaml = "runbook: 1\nid: r\ntitle: R\nverify:\n  - {id: v, run: x, retry: \(retry)}\n"
            var decoder = PlaybookDecoder(file: "r.yaml")
            _ = decoder.decode(try #require(YAML.parse(yaml, file: "r.yaml").root))
            return decoder.diagnostics.map(\.description)
        }
        #expect(try findings("{delay: 5s}") == ["r.yaml:5:28: error: retry needs 'attempts', 'within' or both"])
        #expect(try findings("{within: 2m, delay: 5s}") == [])
        #expect(try findings("{attempts: 3, within: 2m}") == [])
        #expect(try findings("{within: soon}").first?.hasPrefix("r.yaml:5:37: error:") == true)
    }

    private func confirmFindings(_ value: String) throws -> [Diagnostic] {
        let yaml = "runbook: 1\nid: c\ntitle: C\nrecovery:\n  - id: a\n    run: x\n    confirm: \(value)\n"
        var decoder = PlaybookDecoder(file: "c.yaml")
        let root = try #require(YAML.parse(yaml, file: "c.yaml").root)
        #expect(decoder.decode(root) != nil)
        return decoder.diagnostics
    }

    static let askAnyway = "or write the question itself: confirm: \"Restart the service now?\""

    @Test(arguments: ["yes", "Yes", "YES", "y", "on", "On"])
    func confirmYesIsAPromptTextAndDrawsAWarning(word: String) throws {
        let findings = try confirmFindings(word)
        #expect(
            findings.map(\.description) == [
                "c.yaml:7:14: warning: confirm: '\(word)' is read as the question to ask, not as true"
            ])
        #expect(
            findings.first?.hint
                == "write confirm: true to ask with the default question, \(Self.askAnyway) (playbooks follow YAML 1.2, where yes, no, on and off are strings)"
        )
    }

    @Test(arguments: ["no", "No", "n", "off", "OFF"])
    func confirmNoStillAsksAndDrawsAWarning(word: String) throws {
        let findings = try confirmFindings(word)
        #expect(
            findings.map(\.description) == [
                "c.yaml:7:14: warning: confirm: '\(word)' is read as the question to ask, not as false: the step still asks"
            ])
        #expect(
            findings.first?.hint
                == "remove 'confirm' (or write confirm: false) to run without asking, \(Self.askAnyway) (playbooks follow YAML 1.2, where yes, no, on and off are strings)"
        )
    }

    @Test(arguments: [("\"true\"", "true", "true"), ("'false'", "false", "false"), ("\"yes\"", "yes", "true")])
    func aQuotedSwitchWordIsAPromptTextToo(written: String, word: String, meaning: String) throws {
        let findings = try confirmFindings(written)
        #expect(findings.count == 1)
        #expect(findings.first?.severity == .warning)
        #expect(findings.first?.location.column == 14)
        #expect(
            findings.first?.message.hasPrefix("confirm: '\(word)' is read as the question to ask, not as \(meaning)")
                == true)
        #expect(findings.first?.hint?.hasSuffix("(a quoted value is always a string)") == true)
    }

    @Test(arguments: ["true", "false", "True", "Sure?", "\"Restart now?\"", "{prompt: Yes?, phrase: yes}"])
    func confirmAsDocumentedDrawsNoWarning(value: String) throws {
        #expect(try confirmFindings(value).isEmpty)
    }

    @Test func argvCommandsKeepEachElement() throws {
        let yaml =
            "runbook: 1\nid: a\ntitle: A\nrecovery:\n  - id: r\n    run: [systemctl, restart, \"{{ params.s }}\"]\n"
        var decoder = PlaybookDecoder(file: "a.yaml")
        let root = try #require(YAML.parse(yaml, file: "a.yaml").root)
        let decoded = decoder.decode(root)
        let p = try #require(decoded)
        guard case .run(.argv(let argv)) = p.steps(.recovery).first?.action else {
            Issue.record("not an argv command")
            return
        }
        #expect(argv.map(\.value) == ["systemctl", "restart", "{{ params.s }}"])
        #expect(argv[2].location == SourceLocation(file: "a.yaml", line: 6, column: 32))
    }

    @Test(arguments: [
        ("500ms", Int64(500)), ("30s", 30_000), ("5m", 300_000), ("2h", 7_200_000), ("1m30s", 90_000), ("0s", 0),
    ])
    func durationsParse(text: String, milliseconds: Int64) {
        #expect(TimeSpan(parsing: text)?.milliseconds == milliseconds)
        #expect(TimeSpan(parsing: text)?.description == text)
    }

    @Test(arguments: ["", "5", "5 m", "m5", "1.5s", "-3s", "5d", "99999999999999999999h"])
    func invalidDurationsAreRejected(text: String) {
        #expect(TimeSpan(parsing: text) == nil)
    }
}

extension PlaybookDecoderTests {
    @Test func aStopConditionMustBeAReadOnlyRunStep() throws {
        let yaml = """
            runbook: 1
            id: g
            title: G
            verify: [{id: v, run: x}]
            gameday:
              inject: [{id: i, run: x}]
              revert: [{id: r, run: y}]
              interval: 2s
              stop_if:
                - {id: ok_probe, run: check}
                - {id: mutating, run: fix, readonly: false}
                - {id: waiting, wait: 1s}
            """
        var decoder = PlaybookDecoder(file: "g.yaml")
        let playbook = decoder.decode(try #require(YAML.parse(yaml, file: "g.yaml").root))
        #expect(
            decoder.diagnostics.map(\.description) == [
                "g.yaml:11:12: error: a stop_if probe must be a read-only 'run' step",
                "g.yaml:12:12: error: a stop_if probe must be a read-only 'run' step",
            ])
        #expect(playbook?.gameday?.stopIf.count == 3)
        #expect(playbook?.gameday?.interval == .seconds(2))
    }
}
