import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookEngine
@testable import RunbookPlaybook

@Suite struct ParamResolverTests {
    private func params() throws -> [Param] {
        try #require(PlaybookDecoder.load(path: Fixtures.path("valid/spec-example.yaml")).playbook).params
    }

    @Test func defaultsEnvironmentFileAndFlagsApplyInPrecedence() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "service: from-file\ntarget: 20\n".write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let outcome = ParamResolver(params: try params()).resolve(
            ParamInputs(
                assignments: ["target=30"], paramsFile: dir + "/p.yaml", environment: ["MAHAVISHNU_TOKEN": "s3cr3t"]))
        #expect(outcome.diagnostics.isEmpty)
        #expect(outcome.missing.isEmpty)
        let values = outcome.resolved.values
        #expect(values["service"] == .some(.string("from-file")))
        #expect(values["target"] == .some(.int(30)))
        #expect(values["token"] == .some(.string("s3cr3t")))
        #expect(values["health_url"] == .some(.string("http://localhost:8680/health")))
        #expect(values["pool_id"] == .some(nil))
        #expect(outcome.resolved.masked["token"] == .some("***"))
        #expect(outcome.resolved.secretValues == ["s3cr3t"])
    }

    @Test func everyProblemIsListedAtOnce() throws {
        let outcome = ParamResolver(params: try params()).resolve(
            ParamInputs(
                assignments: ["target=500", "pool_id=bad id!", "servce=x", "oops", "target=abc"]))
        #expect(
            outcome.diagnostics.map(\.message) == [
                "unknown param 'servce'",
                "'-p oops' is not NAME=VALUE",
                "param 'pool_id' must match the pattern ^[A-Za-z0-9_-]+$ (got 'bad id!')",
                "param 'target' must be an int (got 'abc')",
            ])
        #expect(outcome.diagnostics[0].hint == "did you mean 'service'?")
    }

    @Test func missingRequiredParamsAreReturnedForPrompting() throws {
        var required = Param(name: "incident", location: .file("x"), kind: .string)
        required.required = true
        let resolver = ParamResolver(params: [required])
        let outcome = resolver.resolve(ParamInputs())
        #expect(outcome.missing.map(\.name) == ["incident"])
        let answered = resolver.supply(["incident": "INC-1"], to: outcome)
        #expect(answered.missing.isEmpty)
        #expect(answered.resolved.values["incident"] == .some(.string("INC-1")))
    }

    @Test func secretValuesAreNeverEchoedInErrors() {
        var token = Param(name: "token", location: .file("x"), kind: .string)
        token.secret = true
        token.pattern = Located("^[a-f0-9]+$", at: .file("x"))
        let outcome = ParamResolver(params: [token]).resolve(ParamInputs(assignments: ["token=TOPSECRET"]))
        #expect(outcome.diagnostics.map(\.message) == ["param 'token' must match the pattern ^[a-f0-9]+$ (got '***')"])
    }
}
