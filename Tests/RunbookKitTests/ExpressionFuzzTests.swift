import Foundation
import Testing

@testable import RunbookDiagnostics
@testable import RunbookExpression

/// Property tests: random and mutated inputs never crash or hang the parser, checker, evaluator or templates.
@Suite struct ExpressionFuzzTests {
    /// SplitMix64: small, seeded and the same on every platform, so a failure can be replayed.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let seeds = [
        "number(steps.cpu.stdout) > 80 && params.service != null",
        "json(stdout).items[0].name == 'a' || !(exit_code == 0)",
        "default(match(stdout, '([0-9]+)%'), '0') in ['1', \"2\"]",
        "len(lines(trim(stderr))) * 2 - 1 / 3 % 4 >= -1.5",
        "startsWith(lower(env.HOME), upper('x\\n')) && contains([1, [2]], 2)",
        "steps.cpu.outputs.load <= duration + steps.cpu.duration",
    ]
    static let alphabet = Array("abcpsx_.()[]{},'\"\\!&|=<>+-*/% 0123456789\n\té🚀in")
    static let fragments = [
        "params.", "steps.", "env.", "(", ")", "[", "]", "'", "\"", "{{", "}}", "&&", "||", "!",
        "json(", "raw(", ".outputs.", "1e", "\\", ",", "null", "true",
    ]

    static let scope = ExpressionScope(
        params: ["service": .string("api")], env: ["HOME": "/root"],
        steps: [
            "cpu": StepResult(status: .ok, exitCode: 0, stdout: "81\n", duration: 1, outputs: ["load": .number(2)])
        ],
        own: StepResult(status: .ok, exitCode: 0, stdout: "{\"items\":[{\"name\":\"a\"}]}", stderr: "", duration: 1))
    static let context = ExpressionContext(
        params: ["service": .string], steps: ["cpu": .before], stepOutputs: ["cpu": ["load"]], ownResult: true)

    private func mutate(_ text: String, _ rng: inout SeededGenerator) -> String {
        var scalars = Array(text.unicodeScalars)
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let position = scalars.isEmpty ? 0 : Int.random(in: 0..<scalars.count, using: &rng)
            switch Int.random(in: 0..<4, using: &rng) {
            case 0 where !scalars.isEmpty: scalars.remove(at: position)
            case 1: scalars.insert(contentsOf: Self.fragments.randomElement(using: &rng)!.unicodeScalars, at: position)
            case 2 where !scalars.isEmpty:
                scalars[position] = Self.alphabet.randomElement(using: &rng)!.unicodeScalars.first!
            default:
                let end = min(scalars.count, position + Int.random(in: 0...8, using: &rng))
                scalars.insert(contentsOf: scalars[position..<end], at: position)
            }
        }
        return String(String.UnicodeScalarView(scalars))
    }

    private func randomText(_ rng: inout SeededGenerator) -> String {
        let length = Int.random(in: 0...60, using: &rng)
        return String((0..<length).map { _ in Self.alphabet.randomElement(using: &rng)! })
    }

    /// Runs every stage that accepts the input; only crashes or hangs would fail.
    private func exercise(_ text: String) -> Bool {
        let checker = ExpressionChecker(context: Self.context)
        var parsed = false
        if let e = try? ExprTest.parse(text) {
            parsed = true
            _ = checker.check(e, as: .condition)
            _ = try? e.evaluate(in: Self.scope)
        }
        if let t = try? Template(parsing: ExprTest.source(text), mode: .shell) {
            _ = checker.check(t)
            _ = try? t.render(in: Self.scope)
        }
        return parsed
    }

    @Test func randomAndMutatedInputsNeverCrashOrHang() {
        var rng = SeededGenerator(state: 0x5EED)
        let start = Date()
        var parsed = 0
        for i in 0..<6_000 {
            let text = i % 3 == 0 ? randomText(&rng) : mutate(Self.seeds.randomElement(using: &rng)!, &rng)
            if exercise(text) { parsed += 1 }
        }
        // Mutations keep many inputs valid, so evaluation is exercised too, not only error paths.
        #expect(parsed > 300)
        #expect(Date().timeIntervalSince(start) < 60)
    }

    @Test(arguments: ["(", "!", "-", "[", "json(", "{{ (", "a.", "((1)"])
    func hugeRepetitionsGiveADiagnosticNotAStackOverflow(_ unit: String) {
        let text = String(repeating: unit, count: 10_000)
        #expect(throws: Diagnostic.self) { try ExprTest.parse(text) }
        _ = exercise(text)
        _ = exercise("{{ " + text + " }}")
    }

    @Test func deeplyNestedJSONFromCommandOutputDoesNotCrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let scope = ExpressionScope(own: StepResult(status: .ok, stdout: deep))
        _ = try? ExprTest.parse("json(stdout)").evaluate(in: scope)
        let nested = String(repeating: "[", count: 400) + String(repeating: "]", count: 400)
        let value = try? ExprTest.parse("json(stdout)").evaluate(
            in: ExpressionScope(own: StepResult(status: .ok, stdout: nested)))
        #expect(value?.text == nested)
    }
}
