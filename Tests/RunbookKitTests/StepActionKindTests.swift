import RunbookBasics
import RunbookDiagnostics
import RunbookPlaybook
import Testing

/// `Step.actionKind` and `Step.argv` answer what `Step.action` would, without copying it.
@Suite struct StepActionKindTests {
    static let at = SourceLocation(file: "kinds.yaml", line: 1, column: 1)
    static func text(_ value: String) -> SourceText { SourceText(value, at: at) }

    @Test func everyActionHasTheKindOfItsKey() {
        let inner = Step(id: nil, location: Self.at, action: .manual(Self.text("look")))
        let actions: [(Action, Action.Kind)] = [
            (.run(.shell(Self.text("true"))), .run),
            (.run(.argv([Self.text("echo"), Self.text("hi")])), .run),
            (.manual(Self.text("look")), .manual),
            (.wait(Located(TimeSpan(milliseconds: 1000), at: Self.at)), .wait),
            (.assert(Self.text("true")), .assert),
            (
                .choose(
                    Choice(
                        options: [.init(name: Located("a", at: Self.at), title: nil, when: nil, steps: [inner])],
                        defaultOption: nil)), .choose
            ),
            (.group([inner]), .group),
            (.include(Include(playbook: Located("other", at: Self.at), with: [])), .include),
        ]
        for (action, kind) in actions {
            let step = Step(id: nil, location: Self.at, action: action)
            #expect(step.actionKind == kind, "\(action.key)")
            #expect(action.key == (kind == .group ? "steps" : "\(kind)"))
        }
    }

    @Test func onlyAnArgvRunHasArgv() {
        let items = [Self.text("echo"), Self.text("{{ params.x }}")]
        #expect(Step(id: nil, location: Self.at, action: .run(.argv(items))).argv == items)
        #expect(Step(id: nil, location: Self.at, action: .run(.argv([]))).argv == [])
        #expect(Step(id: nil, location: Self.at, action: .run(.shell(Self.text("echo")))).argv == nil)
        #expect(Step(id: nil, location: Self.at, action: .manual(Self.text("echo"))).argv == nil)
    }
}
