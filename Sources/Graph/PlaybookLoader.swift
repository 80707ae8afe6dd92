import FoundationEssentials
import RunbookBasics
import RunbookDiagnostics
import RunbookPlaybook

/// Loads a playbook file all the way to a checked `StepGraph`, resolving includes through a library.
package struct PlaybookLoader: Sendable {
    package var library: PlaybookLibrary

    package init(library: PlaybookLibrary) {
        self.library = library
    }

    /// The result of loading one file: whatever could be built, and every finding.
    package struct Loaded: Sendable {
        package var file: String
        package var playbook: Playbook?
        package var graph: StepGraph?
        package var diagnostics: [Diagnostic]
    }

    /// Resolves `ID|FILE` (SPEC §4) to a file path, or explains why it cannot.
    /// A playbook's file, or why there is none. Not a `Result`: instantiating `Result<String,
    /// Diagnostic>` had the runtime search the binary's conformances (`Diagnostic` is an
    /// `Error`) at every start.
    package enum Resolution {
        case success(String)
        case failure(Diagnostic)
    }

    package func resolve(_ reference: String) -> Resolution {
        if PlaybookLibrary.isPath(reference) {
            return .success(reference)
        }
        if let path = library.locate(id: reference) { return .success(path) }
        let hint =
            Suggestion.hint(for: reference, in: library.knownIDs())
            ?? "looked in \(library.folders.joined(separator: ", ")); pass a file path or set RUNBOOK_PATH"
        return .failure(.error("no playbook with id '\(reference)'", at: .file(reference), hint: hint))
    }

    package func load(path: String) -> Loaded {
        let decoded = PlaybookDecoder.load(path: path)
        guard let playbook = decoded.playbook else {
            return Loaded(file: path, playbook: nil, graph: nil, diagnostics: decoded.diagnostics)
        }
        // Includes look next to the including file first, then along the search path.
        let library = PlaybookLibrary(
            folders: [Path.directory(of: path).nonEmpty ?? "."] + self.library.folders)
        let compiled = GraphCompiler.compile(
            playbook,
            resolver: { id in library.locate(id: id).map { PlaybookDecoder.load(path: $0) } },
            knownIDs: { library.knownIDs() })
        return Loaded(
            file: path, playbook: playbook, graph: compiled.graph,
            diagnostics: (decoded.diagnostics + compiled.diagnostics).sortedByLocation())
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
