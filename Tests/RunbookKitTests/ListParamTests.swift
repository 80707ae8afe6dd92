import Foundation
import RunbookTestSupport
import RunbookYAML
import Testing

@testable import RunbookEngine
@testable import RunbookPlaybook

/// `type: list` params: decoded, given and checked like the other types (README: params).
@Suite struct ListParamTests {
    private static let playbook = """
        runbook: 1
        id: defrag
        title: Defragment etcd
        params:
          pods:
            type: list
            min_items: 1
            max_items: 3
            pattern: ^etcd-[0-9]+$
          zones:
            type: list
            default: [eu-1, eu-2]
            choices: [eu-1, eu-2, us-1]
          tokens:
            type: list
            required: false
            secret: true
        recovery:
          - {id: defrag, run: 'echo {{ params.pods }}'}
        """

    private func params() throws -> [Param] {
        try InlinePlaybooks.decode(Self.playbook).params
    }

    private func decodeProblems(_ params: String) -> [String] {
        let yaml = "runbook: 1\nid: p\ntitle: t\nparams:\n\(params)recovery:\n  - {id: a, run: 'true'}\n"
        var decoder = PlaybookDecoder(file: "p.yaml")
        _ = YAML.parse(yaml, file: "p.yaml").root.flatMap { decoder.decode($0) }
        return decoder.diagnostics.map { "\($0.location.line):\($0.location.column) \($0.message)" }
    }

    @Test func aListIsDeclaredWithItsBoundsAndADefaultSequence() throws {
        let params = try params()
        #expect(params[0].kind == .list)
        #expect(params[0].minItems == 1 && params[0].maxItems == 3)
        #expect(params[1].defaultValue == .list(["eu-1", "eu-2"]))
        #expect(params[1].choices == [.string("eu-1"), .string("eu-2"), .string("us-1")])
    }

    @Test func listDeclarationsAreCheckedWhereTheyAreWritten() {
        #expect(
            decodeProblems("  a: {type: list, default: eu-1}\n") == [
                "5:28 expected a list for param 'a', found a string"
            ])
        #expect(
            decodeProblems("  a: {type: list, default: [x, [y]]}\n") == [
                "5:32 expected a string value for param 'a', found a list"
            ])
        #expect(
            decodeProblems("  a: {type: string, min_items: 1}\n") == [
                "5:21 'min_items' applies to list params, not string"
            ])
        #expect(
            decodeProblems("  a: {type: list, min_items: 2, max_items: 1}\n") == [
                "5:19 'min_items' is greater than 'max_items'"
            ])
        #expect(
            decodeProblems("  a: {type: list, max_items: -1}\n") == [
                "5:30 'max_items' must be a whole number of items, 0 or more"
            ])
        #expect(
            decodeProblems("  a: {type: list, choices: [x], default: [x, y]}\n") == [
                "5:42 default of param 'a' item 2 must be one of x (got 'y')"
            ])
    }

    @Test func repeatedFlagsAddItemsAndAJSONArrayGivesThemAtOnce() throws {
        let resolver = ParamResolver(params: try params())
        let repeated = resolver.resolve(ParamInputs(assignments: ["pods=etcd-0", "pods=etcd-1"]))
        #expect(repeated.diagnostics.isEmpty)
        #expect(repeated.resolved.values["pods"] == .some(.list(["etcd-0", "etcd-1"])))
        #expect(repeated.resolved.values["zones"] == .some(.list(["eu-1", "eu-2"])))
        let json = resolver.resolve(ParamInputs(assignments: [#"pods=["etcd-2","etcd-0"]"#, "zones=[]"]))
        #expect(json.diagnostics.isEmpty)
        #expect(json.resolved.values["pods"] == .some(.list(["etcd-2", "etcd-0"])))
        #expect(json.resolved.values["zones"] == .some(.list([])))
    }

    @Test func aParamsFileGivesAListAsASequenceAndTheFlagReplacesIt() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "pods:\n  - etcd-0\n  - etcd-1\nzones: [us-1]\n".write(
            toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let resolver = ParamResolver(params: try params())
        let fromFile = resolver.resolve(ParamInputs(paramsFile: dir + "/p.yaml"))
        #expect(fromFile.diagnostics.isEmpty)
        #expect(fromFile.resolved.values["pods"] == .some(.list(["etcd-0", "etcd-1"])))
        #expect(fromFile.resolved.values["zones"] == .some(.list(["us-1"])))
        let overridden = resolver.resolve(ParamInputs(assignments: ["pods=etcd-9"], paramsFile: dir + "/p.yaml"))
        #expect(overridden.resolved.values["pods"] == .some(.list(["etcd-9"])))
    }

    @Test func itemsAreCheckedOneByOneAndCountedAgainstTheBounds() throws {
        let resolver = ParamResolver(params: try params())
        let outcome = resolver.resolve(
            ParamInputs(assignments: ["pods=etcd-0", "pods=etcd 1", "zones=eu-1", "zones=mars"]))
        #expect(
            outcome.diagnostics.map(\.message) == [
                "param 'pods' item 2 must match the pattern ^etcd-[0-9]+$ (got 'etcd 1')",
                "param 'zones' item 2 must be one of eu-1, eu-2, us-1 (got 'mars')",
            ])
        let tooMany = resolver.resolve(ParamInputs(assignments: [#"pods=["etcd-1","etcd-2","etcd-3","etcd-4"]"#]))
        #expect(tooMany.diagnostics.map(\.message) == ["param 'pods' takes at most 3 items (got 4 items)"])
        let none = resolver.resolve(ParamInputs(assignments: ["pods=[]"]))
        #expect(none.diagnostics.map(\.message) == ["param 'pods' needs at least 1 item (got 0 items)"])
    }

    @Test func aSequenceForAParamThatIsNotAListIsAnError() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "service: [a, b]\n".write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        var service = Param(name: "service", location: .file("x"), kind: .string)
        service.required = false
        let outcome = ParamResolver(params: [service]).resolve(ParamInputs(paramsFile: dir + "/p.yaml"))
        #expect(outcome.diagnostics.map(\.message) == ["param 'service' is a string, not a list"])
        #expect(outcome.diagnostics.first?.location.line == 1)
    }

    @Test func everyItemOfASecretListIsMasked() throws {
        let outcome = ParamResolver(params: try params()).resolve(
            ParamInputs(assignments: ["pods=etcd-0", "tokens=abc123", "tokens=def456"]))
        #expect(outcome.resolved.secretValues.sorted() == ["abc123", "def456"])
        #expect(outcome.resolved.masked["tokens"] == .some("***"))
    }
}
