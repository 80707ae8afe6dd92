import Foundation
import RunbookTestSupport
import Testing

/// A hostile value through every path it can take into a command of the built binary: `-p`,
/// `--params-file`, `env:`, a previous step's `outputs`, a rollback, an included playbook, a
/// `--dry-run --probe` probe; in every quoting context. It arrives byte for byte, runs
/// nothing, and people see it rendered (secrets masked) in the plan and the audit trail.
@Suite(.serialized) struct TemplateInjectionTests {
    static let playbook = """
        runbook: 1
        id: inj
        title: Values in every context
        params:
          value: { type: string }
          token: { type: string, secret: true, default: "s3cr3t $(touch pwned-secret)" }
        symptoms:
          - id: probe
            run: printf %s "{{ params.value }}" > out-probe
        diagnosis:
          - id: produce
            run: printf %s {{ params.value }}
            outputs: { text: stdout }
        recovery:
          - id: contexts
            run: |
              printf %s {{ params.value }} > out-unquoted
              printf %s "{{ params.value }}" > out-double
              printf %s "$V" > out-env
              cat <<EOF > out-heredoc
              {{ params.value }}
              EOF
              printf %s "Bearer {{ params.token }}" > out-secret
            env: { V: "{{ params.value }}" }
            rollback:
              run: printf %s "{{ params.value }}" > out-rollback
          - id: from_output
            run: printf %s "[{{ steps.produce.outputs.text }}]" > out-output
          - id: nested
            include: echoer
            with: { text: "{{ params.value }}" }
        verify:
          - id: fails
            run: "false"
        """

    static let echoer = """
        runbook: 1
        id: echoer
        title: Writes its param
        params:
          text: { type: string }
        recovery:
          - id: write
            run: |
              cat <<-END > out-include
              	{{ params.text }}
              	END
        """

    static let payloads = [
        "$(touch pwned)", "`touch pwned`", "\"; touch pwned; \"", "it's \"quoted\" $HOME ${HOME} \\ end",
        "a[$(touch pwned)]", "line\nEOF\ntouch pwned\nEND\n", "*", "",
    ]

    private func workspace() throws -> AuditWorkspace {
        let w = try AuditWorkspace()
        try w.playbook("inj", Self.playbook)
        try w.playbook("echoer", Self.echoer)
        return w
    }

    private func read(_ w: AuditWorkspace, _ name: String) -> String? {
        try? String(contentsOfFile: w.dir + "/" + name, encoding: .utf8)
    }

    @Test(arguments: payloads)
    func valueArrivesLiterallyThroughEveryPathAndRunsNothing(_ payload: String) throws {
        let w = try workspace()
        defer { w.remove() }
        let result = try w.run(["run", "inj.yaml", "--yes", "-p", "value=\(payload)"])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")  // verify fails, rollback runs
        for file in ["out-probe", "out-unquoted", "out-double", "out-env", "out-rollback"] {
            #expect(read(w, file) == payload, "\(file)")
        }
        #expect(read(w, "out-output") == "[\(payload)]")
        #expect(read(w, "out-heredoc") == payload + "\n")
        #expect(read(w, "out-include") == payload + "\n")
        #expect(read(w, "out-secret") == "Bearer s3cr3t $(touch pwned-secret)")
        let created = try FileManager.default.contentsOfDirectory(atPath: w.dir)
        #expect(!created.contains { $0.hasPrefix("pwned") }, "\(created)")
    }

    @Test func paramsFileValuesArriveLiterally() throws {
        let w = try workspace()
        defer { w.remove() }
        try "value: \"$(touch pwned) 'q' \\\"dq\\\"\"\n".write(
            toFile: w.dir + "/params.yaml", atomically: true, encoding: .utf8)
        let result = try w.run(["run", "inj.yaml", "--yes", "--params-file", "params.yaml"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(read(w, "out-double") == "$(touch pwned) 'q' \"dq\"")
        #expect(!FileManager.default.fileExists(atPath: w.dir + "/pwned"))
    }

    @Test func planAndAuditShowTheRenderedValueWithSecretsMasked() throws {
        let w = try workspace()
        defer { w.remove() }
        let plan = try w.run(["run", "inj.yaml", "--dry-run", "-p", "value=$(touch pwned) it's"])
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains(#"$ printf %s "$(touch pwned) it's" > out-probe"#) == false)
        #expect(plan.stdout.contains(#"$ printf %s "\$(touch pwned) it's" > out-probe"#), "\(plan.stdout)")
        #expect(plan.stdout.contains(#"printf %s '$(touch pwned) it'\''s' > out-unquoted"#))
        #expect(plan.stdout.contains(#"printf %s "Bearer ***" > out-secret"#))
        #expect(plan.stdout.contains(#"rollback: printf %s "\$(touch pwned) it's" > out-rollback"#))
        let created = try FileManager.default.contentsOfDirectory(atPath: w.dir)
        #expect(!created.contains { $0.hasPrefix("out-") || $0.hasPrefix("pwned") }, "\(created)")

        let live = try w.run(["run", "inj.yaml", "--yes", "-p", "value=$(touch pwned) it's"])
        #expect(live.status == 1)
        let commands = try w.records().filter { $0["event"]?.string == "step.start" }.compactMap {
            $0["command"]?.string
        }
        #expect(commands.contains(#"printf %s "\$(touch pwned) it's" > out-probe"#), "\(commands)")
        let log = try String(contentsOfFile: w.auditPath, encoding: .utf8)
        #expect(!log.contains("s3cr3t"))
        #expect(!log.contains("RB_1"))
    }

    @Test func probeRunsReadOnlyStepsWithTheValueLiterally() throws {
        let w = try workspace()
        defer { w.remove() }
        try w.playbook(
            "probe",
            """
            runbook: 1
            id: probe
            title: Probe
            params: { value: { type: string } }
            symptoms:
              - { id: probe, run: "printf %s \\"{{ params.value }}\\" > out-probe" }
            recovery:
              - { id: fix, run: "printf %s {{ params.value }} > out-fix" }
            """)
        let result = try w.run(["run", "probe.yaml", "--dry-run", "--probe", "-p", "value=\"; touch pwned; \""])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(read(w, "out-probe") == "\"; touch pwned; \"")
        #expect(read(w, "out-fix") == nil)
        #expect(!FileManager.default.fileExists(atPath: w.dir + "/pwned"))
    }

    @Test func anIncludedPlaybooksPatternHoldsForValuesBoundThroughWith() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        try w.playbook(
            "child",
            """
            runbook: 1
            id: child
            title: Child
            params: { n: { type: string, pattern: "^[a-z]+$" } }
            recovery:
              - { id: echo, run: "sh -c \\"echo {{ params.n }} > out\\"" }
            """)
        try w.playbook(
            "parent",
            """
            runbook: 1
            id: parent
            title: Parent
            params: { x: { type: string } }
            recovery:
              - { id: nested, include: child, with: { n: "{{ params.x }}" } }
            """)
        #expect(try CLI.run(["validate", "child.yaml", "parent.yaml"], in: w.dir).status == 0)
        let result = try w.run(["run", "parent.yaml", "--yes", "-p", "x=a$(touch pwned)"])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("include 'nested': param 'n' must match the pattern ^[a-z]+$"))
        #expect(!FileManager.default.fileExists(atPath: w.dir + "/pwned"))
        #expect(!FileManager.default.fileExists(atPath: w.dir + "/out"))
    }

    @Test func runRefusesAPlaybookWithAnUnsafeTemplateBeforeAnyStep() throws {
        let w = try AuditWorkspace()
        defer { w.remove() }
        try w.playbook(
            "bad",
            """
            runbook: 1
            id: bad
            title: Bad
            params: { x: { type: string, default: a } }
            diagnosis:
              - { id: first, run: "touch ran" }
              - { id: quoted, run: "echo '{{ params.x }}'" }
            """)
        let result = try w.run(["run", "bad.yaml", "--yes"])
        #expect(result.status == 2)
        #expect(
            result.stderr.contains(
                "bad.yaml:7:31: error: a template inside single quotes cannot pass its value: the shell expands nothing there"
            ), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: w.dir + "/ran"))
    }
}
