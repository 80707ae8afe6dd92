import Foundation
import RunbookBasics
import RunbookDiagnostics
import RunbookExpression
import RunbookGraph
import RunbookPlaybook
import RunbookYAML

/// One input through one part of the front end; a crash, hang or leak is a finding.
/// The target is chosen by `RUNBOOK_FUZZ_TARGET` (see scripts/fuzz and docs in the README).
enum FuzzTarget: String, CaseIterable {
    /// YAML → playbook → step graph (includes resolve to nothing); decoded again with every
    /// step decoded ahead (`StepsDecodedAhead`): the same playbook and the same findings.
    case playbook
    /// The expression parser, then the checker with a context that knows a few names.
    case expression
    /// The template parser in both quoting modes (every shell context inside `run:`), then rendering;
    /// a plain command's templates placed as a full scan places them.
    case template
    /// YAML → rehearsal scenario.
    case scenario
    /// YAML read on one thread and read ahead on a second (as large files are): the same tree
    /// and the same findings; the items offered while waiting are the tree's, in order.
    case yaml
    /// JSON text (audit records, `json()` of command output): what parses writes canonical text
    /// that parses back to the same value.
    case json

    static var current: FuzzTarget {
        ProcessInfo.processInfo.environment["RUNBOOK_FUZZ_TARGET"].flatMap(FuzzTarget.init(rawValue:)) ?? .playbook
    }

    func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        let text = String(decoding: bytes, as: UTF8.self)
        switch self {
        case .playbook:
            guard let root = YAML.parse(Array(bytes), file: "fuzz.yaml").root else { return }
            var decoder = PlaybookDecoder(file: "fuzz.yaml")
            let decoded = decoder.decode(root)
            // Every item of the top-level lists decoded ahead, as the parse's waits may.
            let ahead = StepsDecodedAhead(file: "fuzz.yaml")
            for pair in root.mapping ?? [] {
                for item in pair.value.sequence ?? [] { ahead.work(key: pair.key.scalarValue ?? "", item: item) }
            }
            var again = PlaybookDecoder(file: "fuzz.yaml")
            again.decodedAhead = ahead
            guard again.decode(root) == decoded, again.diagnostics == decoder.diagnostics else {
                fatalError("steps decoded ahead changed the result: \(again.diagnostics) vs \(decoder.diagnostics)")
            }
            guard let playbook = decoded else { return }
            _ = GraphCompiler.compile(playbook, resolver: { _ in nil })
        case .expression:
            guard let expression = try? Expression(parsing: Self.source(text)) else { return }
            let context = ExpressionContext(
                params: ["service": .string, "count": .number], steps: ["cpu": .before, "later": .notBefore],
                stepOutputs: ["cpu": ["load"]], ownResult: true)
            _ = ExpressionChecker(context: context).check(expression)
            _ = try? expression.evaluateCondition(in: Self.scope)
        case .template:
            for mode in [QuotingMode.shell, .plain] {
                guard let template = try? Template(parsing: Self.source(text), mode: mode) else { continue }
                guard !template.plainPathDisagreesWithScan else {
                    fatalError("the plain-command path placed templates unlike the scan: \(text)")
                }
                _ = ExpressionChecker(context: ExpressionContext(params: ["service": .string])).check(template)
                _ = try? template.render(in: Self.scope)
            }
        case .scenario:
            guard let root = YAML.parse(Array(bytes), file: "fuzz.scenario.yaml").root else { return }
            var decoder = PlaybookDecoder(file: "fuzz.scenario.yaml")
            _ = decoder.decodeScenario(root)
        case .yaml:
            let direct = YAML.parse(Array(bytes), file: "fuzz.yaml", readAhead: false)
            let offered = OfferedItems()
            let ahead = YAML.parse(Array(bytes), file: "fuzz.yaml", readAhead: true, itemWork: offered)
            guard ahead.root == direct.root, ahead.diagnostics == direct.diagnostics, ahead.isEmpty == direct.isEmpty
            else { fatalError("reading ahead changed the result: \(ahead.diagnostics) vs \(direct.diagnostics)") }
            offered.expectItems(of: ahead.root)
        case .json:
            guard let value = JSONValue.parse(text) else { return }
            guard JSONValue.parse(value.canonical) == value else {
                fatalError("canonical text does not read back: \(value.canonical)")
            }
        }
    }

    /// Records the items offered while a parse waits, and checks they are the tree's: each
    /// list's items from its first, one by one, the very nodes, lists in document order.
    private final class OfferedItems: YAML.ItemWork {
        var offered: [(key: String, item: YAML.Node)] = []
        func work(key: String, item: YAML.Node) { offered.append((key, item)) }

        func expectItems(of root: YAML.Node?) {
            // A failed parse has no tree to compare with; what was offered came from the part before.
            guard let pairs = root?.mapping else { return }
            var next: [Int: Int] = [:]
            var lastList = -1
            for (key, item) in offered {
                // The first list of that key not yet done, from the last one offered on.
                guard let list = pairs.indices.first(where: { $0 >= lastList && pairs[$0].key.scalarValue == key }),
                    let items = pairs[list].value.sequence
                else { fatalError("an item of '\(key)' offered, which is no top-level list") }
                let index = next[list, default: 0]
                guard index < items.count, items[index].isSameNode(as: item) else {
                    fatalError("item \(index) of '\(key)' offered out of order or not from the tree")
                }
                next[list] = index + 1
                lastList = list
            }
        }
    }

    private static func source(_ text: String) -> SourceText {
        SourceText(text, at: SourceLocation(file: "fuzz", line: 1, column: 1))
    }

    /// Values that try to escape their quoting: the renderer must keep them data.
    private static let scope = ExpressionScope(
        params: ["service": .string("api'; rm -rf / #$(id)`id`\"\n"), "count": .number(3)],
        steps: ["cpu": StepResult(status: .ok, exitCode: 0, stdout: "93.5\n", outputs: ["load": .number(93.5)])])
}

#if FUZZING
    /// libFuzzer's driver, started from our own entry point (the package names executables' entry
    /// points itself, so libFuzzer's `main` cannot be used).
    @_silgen_name("LLVMFuzzerRunDriver")
    func LLVMFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt

    /// libFuzzer's entry for one input (its own `main`, where the linker picks it, calls this).
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        guard let data else { return 0 }
        FuzzTarget.current.run(UnsafeBufferPointer(start: data, count: size))
        return 0
    }

    @main enum FuzzMain {
        static func main() {
            var argc = CommandLine.argc
            var argv = CommandLine.unsafeArgv
            exit(
                LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) })
        }
    }
#else
    /// Without libFuzzer: runs each file given once through the target, to replay a finding
    /// (`RUNBOOK_FUZZ_TARGET=template runbook-fuzz crash-…`).
    @main enum FuzzReplay {
        static func main() {
            let target = FuzzTarget.current
            for path in CommandLine.arguments.dropFirst() {
                guard let data = FileManager.default.contents(atPath: path) else {
                    FileHandle.standardError.write(Data("runbook-fuzz: cannot read \(path)\n".utf8))
                    exit(2)
                }
                data.withUnsafeBytes { target.run($0.bindMemory(to: UInt8.self)) }
            }
        }
    }
#endif
