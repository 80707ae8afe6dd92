import RunbookBasics
import RunbookDiagnostics
import RunbookPlaybook
import Testing

/// The keys few steps have live in a box of their own, made only when one is set (`Step`): a
/// step reads, compares, hashes and copies as if every key were held in place.
@Suite struct StepRareKeysTests {
    static let at = SourceLocation(file: "rare.yaml", line: 3, column: 5)
    static func text(_ value: String) -> SourceText { SourceText(value, at: at) }
    static func plain() -> Step { Step(id: Located("s", at: at), location: at, action: .run(.shell(text("true")))) }

    @Test func aStepWithNoRareKeyReadsTheirDefaults() {
        let step = Self.plain()
        #expect(step.confirm == nil && step.readonly == nil && step.retry == nil && step.until == nil)
        #expect(step.expect == nil && step.cwd == nil && step.shell == nil && step.foreach == nil)
        #expect(step.maxFailures == nil && step.parallel == nil && step.on == nil)
        #expect(!step.detach && step.outputs.isEmpty && step.env.isEmpty && !step.isFanOut)
    }

    @Test func everyRareKeyReadsWhatWasSetAndLeavesTheOthersAtTheirDefaults() {
        var step = Self.plain()
        step.expect = Self.text("exit_code == 0")
        step.env = [NamedText(name: Located("A", at: Self.at), text: Self.text("1"))]
        step.detach = true
        step.parallel = Located(4, at: Self.at)
        step.foreach = .expression(Self.text("params.hosts"))
        #expect(step.expect?.value == "exit_code == 0")
        #expect(step.env.map(\.name.value) == ["A"])
        #expect(step.detach && step.parallel?.value == 4 && step.isFanOut)
        #expect(step.until == nil && step.cwd == nil && step.outputs.isEmpty && step.on == nil)
    }

    @Test func aStepWhoseRareKeysWentBackToTheirDefaultsEqualsOneThatNeverHadThem() {
        var step = Self.plain()
        step.cwd = Self.text("/tmp")
        step.detach = true
        #expect(step != Self.plain())
        step.cwd = nil
        step.detach = false
        #expect(step == Self.plain())
        #expect(step.hashValue == Self.plain().hashValue)
        // Setting a default on a step without rare keys changes nothing either.
        var other = Self.plain()
        other.outputs = []
        other.confirm = nil
        #expect(other == Self.plain() && other.hashValue == Self.plain().hashValue)
    }

    @Test func changingACopysRareKeyLeavesTheOriginalAsItWas() {
        var original = Self.plain()
        original.shell = Self.text("bash")
        var copy = original
        copy.shell = Self.text("sh")
        copy.readonly = Located(true, at: Self.at)
        #expect(original.shell?.value == "bash" && original.readonly == nil)
        #expect(copy.shell?.value == "sh" && copy.readonly?.value == true)
        #expect(original != copy)
        // A copy of a step with no rare key gets one without the original gaining it.
        let bare = Self.plain()
        var changed = bare
        changed.until = Self.text("true")
        #expect(bare.until == nil && changed.until?.value == "true")
    }
}
