import ArgumentParser
import FoundationEssentials
import Glibc
import RunbookBasics
import RunbookGraph
import RunbookPlaybook
import RunbookReport
import RunbookSession

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test", abstract: "Rehearse every scenario and check its expectations; runbooks get CI like code.",
        discussion: "Exit status: 0 every scenario passed · 1 one failed or could not be rehearsed.")

    @Argument(help: "Scenario files, or folders searched for *.scenario.yaml (default: playbooks and examples).")
    var paths: [String] = []
    @OptionGroup var audit: AuditOptions
    @Flag(help: "Print one result per scenario as JSON.") var json = false

    struct Outcome: Encodable {
        var scenario: String
        var passed: Bool
        var misses: [String]
    }

    func run() throws {
        let console = Console()
        let files = Self.scenarios(in: paths.isEmpty ? ["playbooks", "examples"] : paths)
        var results: [Outcome] = []
        for file in files {
            let misses = rehearse(file, console: console)
            results.append(Outcome(scenario: file, passed: misses.isEmpty, misses: misses))
            if json { continue }
            console.out(misses.isEmpty ? "✔ \(file)\n" : "✘ \(file)\n")
            for miss in misses { console.out("    " + miss.replacingScalars(of: "\n", with: "\n      ") + "\n") }
        }
        let failed = results.filter { !$0.passed }.count
        if json {
            console.out(JSONOutput.encode(results, snakeCase: true))
        } else {
            console.out("\(results.count - failed) passed, \(failed) failed\n")
        }
        if failed > 0 || files.isEmpty { throw ExitCode(.failed) }
    }

    /// The expectations that did not hold, or why the scenario could not be rehearsed.
    private func rehearse(_ file: String, console: Console) -> [String] {
        let loaded = PlaybookDecoder.loadScenario(path: file)
        guard let scenario = loaded.scenario else {
            console.report(loaded.diagnostics)
            return ["the scenario has errors (above)"]
        }
        if !loaded.diagnostics.hasErrors { console.report(loaded.diagnostics) }
        guard let graph = try? loadGraph(playbookReference(scenario, file: file), console: console) else {
            return ["playbook '\(scenario.playbook.value)' could not be loaded (above)"]
        }
        var session = RehearsalSession(graph: graph, scenario: scenario, write: nil, report: console.report)
        // The playbook's own `inventory:`: a rehearsal names its hosts and contacts none.
        do {
            session.inventory = try TargetOptions.load(nil, for: graph, console: console)
        } catch {
            return ["the inventory of playbook '\(graph.id)' could not be loaded (above)"]
        }
        guard let result = session.start(auditDir: audit.directory, decoding: loaded.diagnostics) else {
            return ["the scenario has errors or does not fit the playbook (above)"]
        }
        return result.misses
    }

    /// `*.scenario.yaml` files among `paths` (folders searched recursively), sorted.
    static func scenarios(in paths: [String]) -> [String] {
        var found: [String] = []
        for path in paths {
            guard FileManager.default.fileExists(atPath: path) else { continue }
            guard Path.isDirectory(path) else {
                found.append(path)
                continue
            }
            let files = (try? FileManager.default.subpathsOfDirectory(atPath: path)) ?? []
            found += files.filter { $0.hasSuffix(".scenario.yaml") }.map { path + "/" + $0 }
        }
        return found.sorted()
    }
}
