import Foundation
import RunbookTestSupport
import Testing

@Suite struct ValidateCommandTests {
    @Test func alertRulesWithoutAPlaybookAreWarnedAtTheirLine() throws {
        let result = try CLI.run(
            ["validate", "playbooks", "--alert-rules", "Tests/Fixtures/alerts/mahavishnu.rules.yaml"],
            in: Fixtures.root.path)
        #expect(result.status == 0, "warnings only: \(result.stderr)")
        let findings = result.stderr.split(separator: "\n").filter { $0.contains(": warning: ") }
        #expect(
            findings == [
                "Tests/Fixtures/alerts/mahavishnu.rules.yaml:21:16: warning: alert 'MahavishnuDiskFull' is declared by no playbook",
                "Tests/Fixtures/alerts/mahavishnu.rules.yaml:24:24: warning: runbook_url 'https://wiki.example.com/runbooks/disk-ful' names no playbook ('disk-ful')",
            ], "\(result.stderr)")
        // The high-cpu and mcp-down alerts are declared by the shipped playbooks, and their
        // runbook_url annotations name them (a path ending in high-cpu.yaml, a wiki page #anchor).
        #expect(!result.stderr.contains("MahavishnuHighCPU"))
        #expect(!result.stderr.contains("mcp-down#recovery"))
    }

    @Test func anAlertingRuleWithoutANameIsAnError() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "groups:\n  - rules:\n      - alert: [1, 2]\n        expr: up\n"
            .write(toFile: dir + "/rules.yaml", atomically: true, encoding: .utf8)
        let result = try CLI.run(
            ["validate", Fixtures.root.path + "/playbooks", "--alert-rules", "rules.yaml"], in: dir)
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("rules.yaml:3:16: error: an alerting rule's 'alert' must be a name"),
            "\(result.stderr)")
    }

    @Test func anAlertsEntryMustFillADeclaredParam() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
        runbook: 1
        id: a
        title: A
        alerts:
          - alert: X
            labels: {instance: hots}
        params:
          host: {type: string, default: h}
        verify:
          - {id: v, run: "true"}
        """.write(toFile: dir + "/a.yaml", atomically: true, encoding: .utf8)
        let result = try CLI.run(["validate", "a.yaml"], in: dir)
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "a.yaml:6:24: error: label 'instance' fills param 'hots', which the playbook does not declare"),
            "\(result.stderr)")
        #expect(result.stderr.contains("help: did you mean 'host'?"))
    }

    @Test func invalidPlaybookPrintsCompilerFormatAndExitsOne() throws {
        let result = try CLI.run(["validate", "invalid/wrong-type.yaml"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(Golden.mismatch(result.stderr, "validate-wrong-type.txt") == nil)
    }

    @Test func validPlaybookExitsZero() throws {
        let result = try CLI.run(["validate", "valid/spec-example.yaml"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "1 playbook checked: 0 errors, 0 warnings\n")
    }

    @Test func everyInvalidFixtureFailsWithOneLinePerFinding() throws {
        let result = try CLI.run(["validate", "invalid"])
        #expect(result.status == 1)
        let findings = result.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(findings.allSatisfy { $0.hasPrefix("invalid/") })
        let files = try FileManager.default.contentsOfDirectory(atPath: Fixtures.path("invalid"))
        let flagged = Set(findings.map { $0.split(separator: ":")[0] })
        #expect(flagged.count == files.count, "every invalid fixture has at least one error")
    }

    @Test func defaultsToThePlaybooksFolderOfTheWorkingDirectory() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/playbooks", withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: Fixtures.path("valid/spec-example.yaml"), toPath: dir + "/playbooks/a.yaml")
        try FileManager.default.copyItem(
            atPath: Fixtures.path("valid/spec-example.yaml"), toPath: dir + "/playbooks/b.yaml")
        let result = try CLI.run(["validate"], in: dir)
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "playbooks/b.yaml: error: playbook id 'spec-example' is already used by playbooks/a.yaml"))
    }

    /// Files are checked on every processor at once; what is printed keeps the order of the
    /// targets and of the files in each folder.
    @Test func manyFilesAreReportedInTheirOrderWhicheverIsCheckedFirst() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/p", withIntermediateDirectories: true)
        for n in 0..<40 {
            let name = String(format: "f%02d", n)
            // Every file but f05 and f30 has an unknown key; those two share an id; the big
            // ones take longest.
            let id = n == 30 ? "f05" : name
            let colour = n == 5 || n == 30 ? "" : "colour: red\n"
            let steps = (0..<(n % 7 == 0 ? 300 : 1)).map { "  - {id: s\($0), run: \"true\"}\n" }.joined()
            try "runbook: 1\nid: \(id)\ntitle: T\n\(colour)recovery:\n\(steps)"
                .write(toFile: "\(dir)/p/\(name).yaml", atomically: true, encoding: .utf8)
        }
        let result = try CLI.run(["validate", "p/f39.yaml", "p", "nope"], in: dir)
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        let expected =
            ["p/f39.yaml:4:1: error: unknown key 'colour' in a playbook"]
            + (0..<40).map { n in
                switch n {
                case 5: return nil
                case 30: return "p/f30.yaml: error: playbook id 'f05' is already used by p/f05.yaml"
                default: return String(format: "p/f%02d.yaml:4:1: error: unknown key 'colour' in a playbook", n)
                }
            }.compactMap { $0 }
            + ["nope: error: no playbook with id 'nope'"]
        #expect(lines.map(String.init) == expected, "\(result.stderr)")
    }

    @Test func aFileNamedOtherwiseThanItsIDIsAWarningAtTheID() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let playbook = "runbook: 1\nid: disk-full\ntitle: Disk full\nrecovery:\n  - {id: clean, run: echo}\n"
        try playbook.write(toFile: dir + "/disk.yaml", atomically: true, encoding: .utf8)
        let result = try CLI.run(["validate", "disk.yaml"], in: dir)
        #expect(result.status == 0)
        #expect(
            result.stderr == """
                disk.yaml:2:5: warning: the file is named disk.yaml but its id is 'disk-full'
                    id: disk-full
                        ^
                  help: 'runbook run disk-full' and 'include: disk-full' look for disk-full.yaml first and find this file only by reading every playbook in the search path, while 'runbook run disk' runs it; rename the file to disk-full.yaml or change the id to 'disk'
                1 playbook checked: 0 errors, 1 warning

                """)
    }

    @Test func aFileNamedAfterItsIDDrawsNoWarningWhicheverTheExtension() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let playbook = "runbook: 1\nid: disk-full\ntitle: Disk full\nrecovery:\n  - {id: clean, run: echo}\n"
        try playbook.write(toFile: dir + "/disk-full.yml", atomically: true, encoding: .utf8)
        let result = try CLI.run(["validate", "disk-full.yml"], in: dir)
        #expect(result.status == 0)
        #expect(result.stderr == "1 playbook checked: 0 errors, 0 warnings\n")
    }

    @Test func jsonReportListsEveryFinding() throws {
        let result = try CLI.run(["validate", "--json", "invalid/bad-param.yaml"])
        #expect(result.status == 1)
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(json?["errors"] as? Int == 3)
        let files = json?["files"] as? [[String: Any]]
        let first = (files?.first?["diagnostics"] as? [[String: Any]])?.first
        #expect(first?["line"] as? Int == 5)
        #expect(first?["column"] as? Int == 33)
        #expect(first?["severity"] as? String == "error")
    }

    @Test func hostileYAMLIsRejectedAndTheProcessExitsNormally() throws {
        let started = Date()
        let result = try CLI.run(["validate", "yaml/alias-bomb.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("yaml/alias-bomb.yaml:6:"))
        #expect(Date().timeIntervalSince(started) < 5)
    }
}

@Suite struct ExpressionValidationTests {
    @Test func expressionErrorsArePrintedAtTheirExactPositions() throws {
        let result = try CLI.run(["validate", "expressions/expression-errors.yaml", "expressions/template-errors.yaml"])
        #expect(result.status == 1)
        #expect(Golden.mismatch(result.stderr, "validate-expression-errors.txt") == nil)
    }

    @Test func templatesWhereAValueCannotReachTheShellSafelyAreErrorsWithAHelpLine() throws {
        let result = try CLI.run(["validate", "expressions/shell-contexts.yaml"])
        #expect(result.status == 1)
        #expect(Golden.mismatch(result.stderr, "validate-shell-contexts.txt") == nil)
    }
}

@Suite struct ShippedLibraryTests {
    @Test func everyShippedPlaybookAndExampleValidatesWithoutWarnings() throws {
        let result = try CLI.run(["validate", "playbooks", "examples"], in: Fixtures.root.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.hasSuffix("checked: 0 errors, 0 warnings\n"), "\(result.stderr)")
        #expect(result.stderr.hasPrefix("13 playbooks checked"))
    }

    @Test func dryRunOfEveryShippedPlaybookPlansWithoutFailing() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ids = try FileManager.default.contentsOfDirectory(atPath: Fixtures.root.path + "/playbooks")
            .filter { !$0.hasSuffix(".scenario.yaml") }.map { String($0.dropLast(".yaml".count)) }
        #expect(ids.count == 11)
        for id in ids {
            let params = id == "db-recovery" ? ["-p", "backup_file=backup_20260201_120000.tar.gz"] : []
            let result = try CLI.run(
                ["run", id, "--dry-run", "--audit-dir", dir] + params, in: Fixtures.root.path, withoutTerminal: true)
            #expect(result.status == 0, "\(id): \(result.stderr)\n\(result.stdout.suffix(600))")
            #expect(!result.stdout.contains("✘"), "\(id) has a failing step in its plan")
            // Known values are written in; one not known yet is a ⟨placeholder⟩, never a raw template.
            #expect(!result.stdout.contains("{{"), "\(id) shows a raw template in its plan")
            // The plan is the product at 3 a.m.: any change to it shows up here as a golden diff.
            let plan = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                if line.hasPrefix("audit: run ") { return "audit: run RUN_ID · chain head SEQ:HASH" }
                if line.hasPrefix("Outcome: "), let comma = line.lastIndex(of: ",") { return line[..<comma] + ", TIME" }
                return String(line)
            }
            #expect(Golden.mismatch(plan.joined(separator: "\n"), "plans/\(id).txt") == nil)
        }
    }

    @Test func listShowsTheWholeLibraryWithSeverityAndTitle() throws {
        let result = try CLI.run(["list"], in: Fixtures.root.path)
        #expect(result.status == 0)
        #expect(Golden.mismatch(result.stdout, "list-shipped.txt") == nil)
    }

    @Test func showHighCPUReadsLikeTheRunbookPage() throws {
        let result = try CLI.run(["show", "high-cpu"], in: Fixtures.root.path)
        #expect(result.status == 0)
        #expect(Golden.mismatch(result.stdout, "show-high-cpu.txt") == nil)
    }
}
