import Foundation
import RunbookTestSupport
import Testing

@Suite struct GraphCommandTests {
    @Test func mermaidOfTheSpecExampleMatchesItsGolden() throws {
        let result = try CLI.run(["graph", "valid/spec-example.yaml"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Golden.mismatch(result.stdout, "graph-spec-example.mmd") == nil)
        #expect(MermaidSyntax.problems(in: result.stdout).isEmpty, "\(MermaidSyntax.problems(in: result.stdout))")
    }

    @Test func dotOfTheSpecExampleMatchesItsGolden() throws {
        let result = try CLI.run(["graph", "valid/spec-example.yaml", "--format", "dot"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Golden.mismatch(result.stdout, "graph-spec-example.dot") == nil)
    }

    /// Every shipped playbook (includes, choose inside includes, rollbacks, confirmations)
    /// renders through Graphviz itself and passes the Mermaid check.
    @Test func everyShippedPlaybookRendersThroughGraphvizAndPassesTheMermaidCheck() throws {
        let dot = try #require(
            ["/usr/bin/dot", "/usr/local/bin/dot"].first { FileManager.default.isExecutableFile(atPath: $0) },
            "Graphviz 'dot' is not installed (.ci/run installs the graphviz package)")
        let root = Fixtures.root.path
        let files = try FileManager.default.contentsOfDirectory(atPath: root + "/playbooks")
            .filter { $0.hasSuffix(".yaml") && !$0.hasSuffix(".scenario.yaml") }.sorted()
        #expect(files.count >= 10)
        for file in files {
            let path = root + "/playbooks/" + file
            let mermaid = try CLI.run(["graph", path], in: root)
            #expect(mermaid.status == 0, "\(file): \(mermaid.stderr)")
            #expect(
                MermaidSyntax.problems(in: mermaid.stdout).isEmpty,
                "\(file): \(MermaidSyntax.problems(in: mermaid.stdout))")
            let source = try CLI.run(["graph", path, "--format", "dot"], in: root)
            #expect(source.status == 0, "\(file): \(source.stderr)")
            let svg = try CLI.tool([dot, "-Tsvg"], stdin: source.stdout)
            #expect(svg.status == 0, "\(file): dot says \(svg.stderr)")
            #expect(svg.stdout.contains("<svg"), "\(file): no SVG")
        }
    }

    @Test func anUnknownFormatIsAUsageError() throws {
        let result = try CLI.run(["graph", "valid/spec-example.yaml", "--format", "svg"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("'svg'"), "\(result.stderr)")
    }

    @Test func anUnknownPlaybookIsInvalidInput() throws {
        let result = try CLI.run(["graph", "no-such-playbook"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
    }

    @Test func showPointsAtTheGraph() throws {
        let result = try CLI.run(["show", "valid/spec-example.yaml"])
        #expect(result.stdout.contains("runbook graph spec-example --format dot | dot -Tsvg"))
    }
}

/// The part of Mermaid's flowchart grammar `runbook graph` writes, checked line by line: the
/// front matter, `flowchart TD`, balanced `subgraph ID["…"]` / `end`, node declarations with
/// quoted labels in a known shape, edges (`-->`, `-.->`, with `|"…"|` labels) between declared
/// nodes, and `classDef` / `class` lines naming declared nodes. Labels may not hold a raw `"`.
enum MermaidSyntax {
    static func problems(in text: String) -> [String] {
        var problems: [String] = []
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard lines.count >= 4, lines[0] == "---", lines[1].hasPrefix("title: "), lines[2] == "---",
            lines[3] == "flowchart TD"
        else { return ["no front matter and 'flowchart TD' header"] }
        let quoted = #""[^"]*""#
        let id = "[A-Za-z][A-Za-z0-9_]*"
        let shapes = [
            (#"\(\("#, #"\)\)"#), (#"\(\["#, #"\]\)"#), (#"\[/"#, #"/\]"#), (#"\{\{"#, #"\}\}"#), (#"\["#, #"\]"#),
            (#"\("#, #"\)"#), (#"\{"#, #"\}"#), (">", #"\]"#),
        ]
        let node = try! Regex("^(\(id))(?:" + shapes.map { "\($0.0)\(quoted)\($0.1)" }.joined(separator: "|") + ")$")
        let edge = try! Regex("^(\(id)) (?:-->|-\\.->)(?:\\|\(quoted)\\|)? (\(id))$")
        let subgraph = try! Regex("^subgraph \(id)\\[\(quoted)\\]$")
        let classDef = try! Regex("^classDef \(id) [^\"]+$")
        let classLine = try! Regex("^class ((?:\(id),)*\(id)) \(id)$")
        var declared = Set<String>()
        var referenced: [(String, Int)] = []
        var depth = 0
        for (n, raw) in lines.enumerated().dropFirst(4) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line == "end" {
                depth -= 1
                if depth < 0 { problems.append("line \(n + 1): 'end' without 'subgraph'") }
            } else if line.wholeMatch(of: subgraph) != nil {
                depth += 1
            } else if let m = line.wholeMatch(of: node) {
                declared.insert(String(m.output[1].substring!))
            } else if let m = line.wholeMatch(of: edge) {
                referenced.append((String(m.output[1].substring!), n + 1))
                referenced.append((String(m.output[2].substring!), n + 1))
            } else if line.wholeMatch(of: classDef) != nil {
                continue
            } else if let m = line.wholeMatch(of: classLine) {
                for name in m.output[1].substring!.split(separator: ",") { referenced.append((String(name), n + 1)) }
            } else {
                problems.append("line \(n + 1): not in the grammar: \(line)")
            }
        }
        if depth != 0 { problems.append("\(depth) subgraph(s) not closed") }
        for (name, line) in referenced where !declared.contains(name) {
            problems.append("line \(line): '\(name)' is not a declared node")
        }
        return problems
    }
}
