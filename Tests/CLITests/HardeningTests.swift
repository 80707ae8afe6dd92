import Foundation
import RunbookTestSupport
import Testing

/// Secrets in messages and derived values, NUL in params, control characters, cut output.
@Suite(.serialized) struct HardeningTests {
    static let secrets = """
        runbook: 1
        id: secrets
        title: Secrets
        params:
          tok: { type: string, secret: true }
          ch: { type: string, secret: true, default: alpha, choices: [alpha, beta] }
          n: { type: int, secret: true, default: 50, min: 10 }
        diagnosis:
          - id: show
            run: printf '%s\\n' "{{ params.tok }}"
            outputs: { up: upper(stdout), pre: 'match(stdout, "^(.{6})")' }
          - id: later
            run: echo "up={{ steps.show.outputs.up }} pre={{ steps.show.outputs.pre }}"; echo {{ steps.show.outputs.up }}
        """

    @Test func aSecretNeverAppearsInAParamError() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        try w.playbook("secrets", Self.secrets)
        let given = try w.run(["run", "secrets.yaml", "--yes", "-p", "tok=x", "-p", "ch=gammaSECRET", "-p", "n=3"])
        #expect(given.status == 2)
        #expect(given.stderr.contains("param 'ch' must be one of alpha, beta (got '***')"), "\(given.stderr)")
        #expect(given.stderr.contains("param 'n' must be at least 10 (got ***)"))
        #expect(!given.stderr.contains("gammaSECRET"))
        try "tok: x\nch: gammaSECRET\n".write(toFile: w.dir + "/p.yaml", atomically: true, encoding: .utf8)
        let file = try w.run(["run", "secrets.yaml", "--yes", "--params-file", "p.yaml"])
        #expect(file.status == 2)
        #expect(file.stderr.contains("p.yaml:2:5: error: param 'ch' must be one of alpha, beta (got '***')"))
        #expect(!file.stderr.contains("gammaSECRET"), "the source line was quoted: \(file.stderr)")
    }

    @Test func aParamsFileLineIsNotQuotedInAPlaybookWithSecretsEvenForAnotherParam() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        try w.playbook(
            "mixed",
            """
            runbook: 1
            id: mixed
            title: Mixed
            params:
              pw: {type: string, secret: true}
              other: {type: int, default: 1}
            diagnosis:
              - {id: d, run: "echo {{ params.pw }} {{ params.other }}"}
            """)
        // The secret typed under the wrong name: its line must not be shown.
        try "pw: \"123\"\nother: TOPsecret99\n".write(toFile: w.dir + "/p.yaml", atomically: true, encoding: .utf8)
        let result = try w.run(["run", "mixed.yaml", "--yes", "--params-file", "p.yaml"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("p.yaml:2:8: error: param 'other' must be an int"), "\(result.stderr)")
        #expect(!result.stderr.contains("    other: TOPsecret99"), "the line was quoted: \(result.stderr)")
    }

    @Test func valuesDerivedFromASecretAreMaskedInEveryChannel() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        try w.playbook("secrets", Self.secrets)
        let run = try w.run(["run", "secrets.yaml", "--yes", "-p", "tok=s3cr3tvalue"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("│ up=***\n"), "\(run.stdout)")
        let json = try w.run(["run", "secrets.yaml", "--yes", "--json", "-p", "tok=s3cr3tvalue"])
        let plan = try w.run(["run", "secrets.yaml", "--dry-run", "-p", "tok=s3cr3tvalue"])
        let runID = try #require(AuditWorkspace.printedHead(run.stdout)?.run)
        let show = try w.run(["audit", "show", runID])
        let showJSON = try w.run(["audit", "show", runID, "--json"])
        let report = try w.run(["report", runID])
        let log = try String(contentsOfFile: w.auditPath, encoding: .utf8)
        let channels = [
            ("terminal", run.stdout + run.stderr), ("--json", json.stdout), ("dry-run plan", plan.stdout),
            ("audit file", log), ("audit show", show.stdout + showJSON.stdout), ("report", report.stdout),
        ]
        for (name, text) in channels {
            for leak in ["s3cr3tvalue", "S3CR3TVALUE", "s3cr3t"] {
                #expect(!text.contains(leak), "\(leak) in \(name)")
            }
        }
    }

    @Test func aNULInAParamIsRefusedBeforeAnyStep() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        try w.playbook(
            "nul",
            """
            runbook: 1
            id: nul
            title: NUL
            params: { v: { type: string } }
            recovery:
              - { id: write, run: "printf %s {{ params.v }} > out" }
            """)
        try "v: \"abc\\0; touch pwned\"\n".write(toFile: w.dir + "/p.yaml", atomically: true, encoding: .utf8)
        let result = try w.run(["run", "nul.yaml", "--yes", "--params-file", "p.yaml"])
        #expect(result.status == 2)
        #expect(
            result.stderr.contains(
                "p.yaml:1:4: error: param 'v' contains a NUL character, which no command can receive"))
        #expect(!FileManager.default.fileExists(atPath: w.dir + "/out"))
    }

    @Test func controlCharactersFromAPlaybookAndStepOutputAreShownNotObeyed() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        try w.playbook(
            "esc",
            """
            runbook: 1
            id: esc
            title: "Title \\e[31mred\\e[0m"
            recovery:
              - { id: paint, run: "printf 'x\\\\033[2K\\\\rFAKE\\\\n'" }
            """)
        let run = try w.run(["run", "esc.yaml", "--yes"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stdout.unicodeScalars.contains("\u{1B}"))
        #expect(run.stdout.contains(#"esc — Title \e[31mred\e[0m"#))
        #expect(run.stdout.contains(#"│ x\e[2K\rFAKE"#), "\(run.stdout)")
        let show = try w.run(["show", "esc.yaml"])
        #expect(!show.stdout.unicodeScalars.contains("\u{1B}"))
    }

    @Test func anExpressionKnowsWhenOutputWasCut() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        try w.playbook(
            "big",
            """
            runbook: 1
            id: big
            title: Big
            diagnosis:
              - id: big
                run: head -c 1100000 /dev/zero | tr '\\\\0' x
                expect: stdout_truncated && len(stdout) == 1048576
              - id: small
                run: echo hi
                expect: "!stdout_truncated"
              - { id: after, assert: steps.big.stdout_truncated && !steps.small.stdout_truncated }
            """)
        let result = try w.run(["run", "big.yaml", "--yes"])
        #expect(result.status == 0, "\(result.stdout.suffix(500))\(result.stderr)")
        #expect(!result.stdout.contains("✘"))
    }
}

/// Findings of a third attack: assertions, secrets a command receives derived, short secrets.
@Suite(.serialized) struct HardeningThirdRoundTests {
    @Test func aFalseAssertionFailsTheStep() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        try w.playbook(
            "assert",
            """
            runbook: 1
            id: assert
            title: Assert
            params: { v: { type: string, default: abc } }
            recovery:
              - { id: fix, run: "true", rollback: { run: touch unfixed } }
              - { id: bad, assert: int(params.v) > 0 }
              - { id: never, run: touch reached }
            """)
        let result = try w.run(["run", "assert.yaml", "--yes"])
        #expect(result.status == 1, "\(result.stdout)")
        #expect(result.stdout.contains("✘ bad failed"))
        #expect(!FileManager.default.fileExists(atPath: w.dir + "/reached"))
        #expect(FileManager.default.fileExists(atPath: w.dir + "/unfixed"))
    }

    @Test func aValueDerivedFromASecretIsMaskedInTheOutputOfTheCommandThatGetsIt() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        try w.playbook(
            "derived",
            """
            runbook: 1
            id: derived
            title: Derived
            params: { pw: { type: string, secret: true } }
            diagnosis:
              - { id: loud, run: "echo {{ upper(params.pw) }}; echo {{ upper(params.pw) }} >&2" }
            """)
        let run = try w.run(["run", "derived.yaml", "--yes", "-p", "pw=hunter22"])
        let json = try w.run(["run", "derived.yaml", "--yes", "--json", "-p", "pw=hunter22"])
        let log = try String(contentsOfFile: w.auditPath, encoding: .utf8)
        for (name, text) in [("terminal", run.stdout + run.stderr), ("--json", json.stdout), ("audit", log)] {
            #expect(!text.contains("HUNTER22"), "leaked in \(name)")
        }
    }

    @Test func aShortSecretIsMaskedWhereSubstitutedButDoesNotGarbleRecords() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        try w.playbook(
            "pin",
            """
            runbook: 1
            id: pin
            title: Pin
            params: { pin: { type: int, secret: true, default: 2 } }
            diagnosis:
              - { id: one, run: "echo 2026 {{ params.pin }}" }
            """)
        let run = try w.run(["run", "pin.yaml", "--yes"])
        #expect(run.stdout.contains("$ echo 2026 ***"), "\(run.stdout)")
        let id = try #require(AuditWorkspace.printedHead(run.stdout)?.run)
        #expect(id.hasPrefix("2026"))
        #expect(try w.run(["report", id]).status == 0)
    }

    @Test func aHardLinkedAuditFileIsRefused() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        try w.playbook("pin", "runbook: 1\nid: pin\ntitle: Pin\ndiagnosis:\n  - { id: one, run: \"true\" }\n")
        #expect(try w.run(["run", "pin.yaml"]).status == 0)
        link(w.auditPath, w.dir + "/other")
        let result = try w.run(["run", "pin.yaml"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("has other hard links"))
    }
}
