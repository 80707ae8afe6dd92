import FoundationEssentials
import RunbookBasics
import RunbookDiagnostics
import RunbookPlaybook

/// Operations over many playbook files at once: `validate` of files and folders, `list` of the search path.
package struct PlaybookCatalog: Sendable {
    package var library: PlaybookLibrary

    package init(library: PlaybookLibrary) {
        self.library = library
    }

    /// The findings for one file.
    package struct FileResult: Sendable {
        package var file: String
        package var id: String?
        package var diagnostics: [Diagnostic]
    }

    /// Validates ids, files and folders; ids must also be unique among the files checked.
    ///
    /// Files are checked on every processor at once; the findings keep the order of the targets.
    package func validate(_ targets: [String]) -> [FileResult] {
        let loader = PlaybookLoader(library: library)
        var planned: [Planned] = []
        for target in targets {
            var findings: [FileResult] = []
            let files = expand(target, loader: loader, into: &findings)
            planned += findings.map(Planned.finding) + files.map(Planned.file)
        }
        let results = Parallel.map(each: planned, minimum: 4) { entry in
            switch entry {
            case .finding(let finding): return finding
            case .file(let path):
                let loaded = loader.load(path: path)
                var diagnostics = loaded.diagnostics
                if let playbook = loaded.playbook, let mismatch = Self.fileNameMismatch(playbook, path: path) {
                    diagnostics = (diagnostics + [mismatch]).sortedByLocation()
                }
                let result = FileResult(file: path, id: loaded.playbook?.id.value, diagnostics: diagnostics)
                // Only the findings are kept: a long playbook's steps are freed on another thread
                // while the findings are printed.
                if (loaded.graph?.order.count ?? 0) >= Self.largePlaybookSteps { Parallel.release(consume loaded) }
                return result
            }
        }
        return flagDuplicateIDs(results)
    }

    /// From this many steps a checked playbook is freed on another thread (`Parallel.release`).
    static let largePlaybookSteps = 256

    /// A file to check, or what a target that names no file gave.
    private enum Planned: Sendable {
        case file(String)
        case finding(FileResult)
    }

    /// Folders expand to their playbook files; ids are looked up; a missing target is a finding.
    private func expand(_ target: String, loader: PlaybookLoader, into results: inout [FileResult]) -> [String] {
        if Path.isDirectory(target) {
            let files = PlaybookLibrary.playbookFiles(in: target)
            if files.isEmpty {
                results.append(
                    FileResult(
                        file: target, id: nil,
                        diagnostics: [
                            .warning(
                                "no playbooks (*.yaml, *.yml) in this folder", at: .file(target))
                        ]))
            }
            return files
        }
        switch loader.resolve(target) {
        case .success(let path): return [path]
        case .failure(let diagnostic):
            results.append(FileResult(file: target, id: nil, diagnostics: [diagnostic]))
            return []
        }
    }

    /// `PlaybookLibrary.locate(id:)` tries `ID.yaml` in every folder before it reads any file's `id:`,
    /// so a playbook whose file is named otherwise is found by its id only after a scan of the
    /// whole search path, loses to any file named after its id, and is what its file name runs.
    static func fileNameMismatch(_ playbook: Playbook, path: String) -> Diagnostic? {
        let name = Path.lastComponent(of: path)
        let stem = Path.stem(of: name)
        let ext = Path.pathExtension(of: name)
        let id = playbook.id.value
        guard Self.playbookExtensions.contains(ext), !isNamed(path, id), !id.isEmpty else { return nil }
        return .warning(
            "the file is named \(name) but its id is '\(id)'", at: playbook.id.location,
            hint: "'runbook run \(id)' and 'include: \(id)' look for \(id).yaml first and find this file only by"
                + " reading every playbook in the search path, while 'runbook run \(stem)' runs it;"
                + " rename the file to \(id).\(ext) or change the id to '\(stem)'")
    }

    private func flagDuplicateIDs(_ results: [FileResult]) -> [FileResult] {
        var firstFile: [String: String] = [:]
        return results.map { result in
            guard let id = result.id else { return result }
            guard let first = firstFile[id] else {
                firstFile[id] = result.file
                return result
            }
            guard first != result.file else { return result }
            var copy = result
            copy.diagnostics.append(
                .error(
                    "playbook id '\(id)' is already used by \(first)", at: .file(result.file),
                    hint: "ids must be unique in the search path; rename one of them"))
            return copy
        }
    }

    /// One playbook file of the search path, decoded once, as far as it could be.
    package struct Entry: Sendable {
        package var file: String
        /// What could be decoded; nil when not even the id and title could.
        package var playbook: Playbook?
        package var valid: Bool
    }

    /// Every playbook of the search path, in its order; of files that share an id (which
    /// `validate` reports), only the one `runbook run ID` takes: the first named `ID.yaml` or
    /// `ID.yml` (`PlaybookLibrary.locate`), else the first.
    package func entries() -> [Entry] {
        // Decoded on every processor at once; shadowing is decided in the search path's order.
        let decoded = Parallel.map(each: library.files(), minimum: 8) { file in
            let decoded = PlaybookDecoder.loadPartial(path: file)
            return Entry(file: file, playbook: decoded.playbook, valid: !decoded.diagnostics.hasErrors)
        }
        var taken: [String: Int] = [:]
        for (index, entry) in decoded.enumerated() {
            guard let id = entry.playbook?.id.value else { continue }
            guard let first = taken[id] else {
                taken[id] = index
                continue
            }
            if !Self.isNamed(decoded[first].file, id), Self.isNamed(entry.file, id) { taken[id] = index }
        }
        return decoded.enumerated().filter { index, entry in
            entry.playbook.map { taken[$0.id.value] == index } ?? true
        }.map(\.element)
    }

    /// True when `file` is `ID.yaml` or `ID.yml`, the file `runbook run ID` looks for first.
    private static func isNamed(_ file: String, _ id: String) -> Bool {
        let name = Path.lastComponent(of: file)
        return Path.stem(of: name) == id && playbookExtensions.contains(Path.pathExtension(of: name))
    }

    private static let playbookExtensions = ["yaml", "yml"]
}
