import ArgumentParser
import Foundation
import Testing

@testable import runbook

/// `runbook run` lines read without the argument parser must mean exactly what the parser
/// makes of them, and every other line must be left to it.
@Suite struct QuickRunParserTests {
    @Test(arguments: [
        ["run", "high-cpu"],
        ["run", "high-cpu", "--dry-run"],
        ["run", "./playbooks/x.yaml", "--yes", "--audit-dir", "/tmp/a"],
        ["run", "--yes", "high-cpu"],
        ["run", "high-cpu", "-p", "host=web-1", "-p", "pods=a", "--params-file", "p.yaml"],
        ["run", "high-cpu", "-p", "x=", "-p", "", "--choose", "fix=restart", "--choose", "b=c"],
        ["run", "high-cpu", "--dry-run", "--probe", "--json", "--no-wait", "--step", "--force"],
        ["run", "high-cpu", "--audit-dir=/tmp/a b", "--inventory=hosts.yaml", "--limit=web-1,web-2"],
        ["run", "high-cpu", "--inventory", "hosts.yaml", "--limit", "db"],
        ["run", "high-cpu", "-p", "msg=a=b c", "--audit-dir", ""],
        ["run", "high-cpu", "--choose=fix=restart"],
        ["run", "high-cpu", "--audit-dir=-odd", "-p", "n=-1"],
    ])
    func readsCommonLinesAsTheParserDoes(_ line: [String]) throws {
        let quick = try #require(QuickRunParser.parse(line), "the quick reader refused \(line)")
        let parsed = try #require(try Runbook.parseAsRoot(line) as? RunCommand)
        #expect(quick == parsed.request)
        #expect(try #require(QuickRunParser.command(line) as? RunRequest) == parsed.request)
    }

    @Test(arguments: [
        ["run"], ["run", "a", "b"], ["run", "high-cpu", "--help"], ["run", "-h"], ["run", "high-cpu", "--"],
        ["run", "high-cpu", "--yes", "--yes"], ["run", "high-cpu", "--audit-dir", "a", "--audit-dir", "b"],
        ["run", "high-cpu", "-p"], ["run", "high-cpu", "-p", "--yes"], ["run", "high-cpu", "-phost=a"],
        ["run", "high-cpu", "--dry-run=true"], ["run", "high-cpu", "--unknown"], ["run", "-"],
        ["run", "high-cpu", "-yp", "a=b"], ["show", "high-cpu"], ["--version"], [], ["run", "high-cpu", "--dryrun"],
        ["run", "high-cpu", "--limit"],
    ])
    func leavesEverythingElseToTheParser(_ line: [String]) {
        #expect(QuickRunParser.parse(line) == nil)
    }

    /// The spellings of every option in a command's help (its OPTIONS section: each line starts
    /// with them, as in `-p <NAME=VALUE>` or `--yes`), help itself left out.
    static func optionNames(_ help: String) -> Set<String> {
        var names: Set<String> = []
        for line in help.split(separator: "\n") {
            let column = line.drop { $0 == " " }
            guard column.hasPrefix("-") else { continue }
            for spelling in column.components(separatedBy: "  ")[0].components(separatedBy: ", ") {
                let name = String(spelling.drop { $0 == " " }.prefix { $0 != " " && $0 != "<" })
                if name != "-h", name != "--help" { names.insert(name) }
            }
        }
        return names
    }

    /// A new option on `run` must be taught to the quick reader, or it would refuse every line
    /// that uses it (still correct) — and a removed one must leave it.
    @Test func knowsExactlyTheOptionsOfRun() throws {
        #expect(Self.optionNames(RunCommand.helpMessage(columns: 1000)) == Set(QuickRunParser.options.map(\.name)))
    }

    @Test func knowsExactlyTheOptionsOfValidate() throws {
        #expect(
            Self.optionNames(ValidateCommand.helpMessage(columns: 1000))
                == Set(QuickRunParser.validateOptions.map(\.name)))
    }

    @Test(arguments: [
        ["validate"],
        ["validate", "playbooks"],
        ["validate", "a.yaml", "b.yaml", "high-cpu", "./folder"],
        ["validate", "--json", "a.yaml"],
        ["validate", "a.yaml", "--json", "b.yaml"],
        ["validate", "--alert-rules", "rules.yaml", "playbooks"],
        ["validate", "playbooks", "--alert-rules=r1.yaml", "--alert-rules", "r2.yaml", "--json"],
        ["validate", "", "a b.yaml"],
        ["validate", "--alert-rules=-odd.yaml"],
    ])
    func readsCommonValidateLinesAsTheParserDoes(_ line: [String]) throws {
        let quick = try #require(QuickRunParser.parseValidate(line), "the quick reader refused \(line)")
        let parsed = try #require(try Runbook.parseAsRoot(line) as? ValidateCommand)
        #expect(quick == parsed.request)
        #expect(try #require(QuickRunParser.command(line) as? ValidateRequest) == parsed.request)
    }

    @Test(arguments: [
        ["validate", "--help"], ["validate", "-h"], ["validate", "--", "a.yaml"], ["validate", "--json", "--json"],
        ["validate", "--alert-rules"], ["validate", "--alert-rules", "--json"], ["validate", "--json=true"],
        ["validate", "-"], ["validate", "a.yaml", "--strict"], ["validate", "-j"], ["list"], ["validat", "a.yaml"],
    ])
    func leavesOtherValidateLinesToTheParser(_ line: [String]) {
        #expect(QuickRunParser.parseValidate(line) == nil)
        #expect(QuickRunParser.command(line) == nil)
    }
}
