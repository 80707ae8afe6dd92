import Foundation
import RunbookTestSupport
import Testing

/// The README's architecture section, `Package.swift` and the source files describe one layering;
/// these tests keep them from drifting apart.
@Suite struct ArchitectureTests {
    /// `layer → layers it may import`, from the README's arrow list.
    static func readmeArrows() throws -> [String: Set<String>] {
        let readme = try String(contentsOf: Fixtures.root.appendingPathComponent("README.md"), encoding: .utf8)
        var arrows: [String: Set<String>] = [:]
        for line in readme.split(separator: "\n") where line.contains("──▶") {
            let sides = line.components(separatedBy: "──▶")
            guard sides.count == 2 else { continue }
            let layer = sides[0].trimmingCharacters(in: .whitespaces)
            // The pipeline picture has arrows too; an arrow line starts with a layer's name.
            guard !layer.isEmpty, layer.allSatisfy(\.isLetter) else { continue }
            let targets = sides[1].split(separator: "(")[0].split(separator: " ").map(String.init)
            arrows[layer] = Set(targets)
        }
        return arrows
    }

    /// The `Runbook…` modules (and CLibYAML) that the files of `Sources/<layer>` import.
    static func imports(of layer: String) throws -> Set<String> {
        let folder = Fixtures.root.appendingPathComponent("Sources/\(layer)")
        var found: Set<String> = []
        for case let file as URL in FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)!
        where file.pathExtension == "swift" {
            for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
                let words = line.split(separator: " ")
                guard let i = words.firstIndex(of: "import"), i + 1 < words.count else { continue }
                let module = String(words[i + 1])
                if module.hasPrefix("Runbook") { found.insert(String(module.dropFirst("Runbook".count))) }
                if module == "CLibYAML" { found.insert(module) }
            }
        }
        return found
    }

    /// `RunbookEngine` → `Engine`; `CLibYAML` as it is; nil for any other word.
    static func layerName(_ word: Substring) -> String? {
        if word == "CLibYAML" { return String(word) }
        return word.hasPrefix("Runbook") ? String(word.dropFirst("Runbook".count)) : nil
    }

    static let layers = [
        "Basics", "Diagnostics", "YAML", "Expression", "Playbook", "Graph", "Process", "Events", "Engine", "Effects",
        "Audit", "Report", "Session", "runbook", "Fuzz",
    ]
    /// Executables: nothing imports them, and they may print.
    static let tools: Set<String> = ["runbook", "Fuzz"]

    @Test func everyLayerImportsOnlyWhatTheReadmeAllows() throws {
        let arrows = try Self.readmeArrows()
        for layer in Self.layers {
            let allowed = arrows[layer] ?? []
            let used = try Self.imports(of: layer)
            #expect(used.isSubset(of: allowed), "Sources/\(layer) imports \(used.subtracting(allowed).sorted())")
        }
    }

    @Test func packageManifestDeclaresTheReadmesArrows() throws {
        let manifest = try String(
            contentsOf: Fixtures.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        for (layer, targets) in try Self.readmeArrows() where layer != "runbook" {
            let pattern =
                Self.tools.contains(layer) ? #"path:\s*"Sources/"# + layer + "\"" : #"layer\(\s*""# + layer + "\""
            guard let found = manifest.range(of: pattern, options: .regularExpression) else {
                Issue.record("no target for \(layer)")
                continue
            }
            // An executable names its dependencies before its path; a layer after its name.
            let start =
                Self.tools.contains(layer)
                ? try #require(manifest[..<found.lowerBound].range(of: "dependencies:", options: .backwards)) : found
            let declaration = manifest[start.upperBound...].prefix { $0 != ")" }
            let declared = Set(declaration.split(whereSeparator: { !$0.isLetter }).compactMap(Self.layerName))
            #expect(
                declared == targets, "Package.swift gives \(layer) \(declared.sorted()), README \(targets.sorted())")
        }
    }

    /// One `import Foundation` anywhere in the binary links all of Foundation and its ICU data:
    /// twice the size and more than a millisecond on every start (README, "Performance").
    @Test func theBinaryImportsFoundationEssentialsOnly() throws {
        for layer in Self.layers where layer != "Fuzz" {
            let folder = Fixtures.root.appendingPathComponent("Sources/\(layer)")
            for case let file as URL in FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)!
            where file.pathExtension == "swift" {
                let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
                let foundation = lines.filter {
                    $0.split(separator: " ").suffix(1) == ["Foundation"] && $0.contains("import")
                }
                #expect(foundation.isEmpty, "\(layer)/\(file.lastPathComponent): \(foundation.first ?? "")")
            }
        }
    }

    @Test func theLibraryNeverPrints() throws {
        for layer in Self.layers where !Self.tools.contains(layer) {
            let folder = Fixtures.root.appendingPathComponent("Sources/\(layer)")
            for case let file as URL in FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)!
            where file.pathExtension == "swift" {
                let text = try String(contentsOf: file, encoding: .utf8)
                for needle in ["print(", "standardOutput", "standardError", "STDOUT_FILENO", "STDERR_FILENO", "fputs("]
                {
                    #expect(
                        !text.contains(needle), "\(layer)/\(file.lastPathComponent) writes to the terminal (\(needle))")
                }
            }
        }
    }
}
