import FoundationEssentials
import RunbookBasics
import RunbookYAML

/// Finds playbooks by id in the search path of SPEC §4: `./playbooks`, then each folder of `$RUNBOOK_PATH`.
package struct PlaybookLibrary: Sendable {
    package var folders: [String]

    package init(folders: [String]) {
        self.folders = folders
    }

    /// The search path for a working directory and environment.
    /// `./playbooks` stays relative so that paths in messages are the ones the operator typed.
    package static func standard(environment: [String: String] = ProcessEnvironment.current)
        -> PlaybookLibrary
    {
        var folders = ["playbooks"]
        if let path = environment["RUNBOOK_PATH"] {
            folders += path.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        }
        return PlaybookLibrary(folders: folders)
    }

    /// A reference is a path when it names an existing file or looks like one; otherwise an id.
    package static func isPath(_ reference: String) -> Bool {
        reference.contains("/") || reference.hasSuffix(".yaml") || reference.hasSuffix(".yml")
            || FileManager.default.fileExists(atPath: reference)
    }

    /// Every playbook file in the search path, in search order (first folder wins for an id).
    package func files() -> [String] {
        folders.flatMap { Self.playbookFiles(in: $0) }
    }

    /// The file for an id: `ID.yaml` / `ID.yml` first, then any file whose `id:` matches.
    package func locate(id: String) -> String? {
        for folder in folders {
            for ext in ["yaml", "yml"] {
                let path = Path.join(folder, "\(id).\(ext)")
                if FileManager.default.fileExists(atPath: path) { return path }
            }
        }
        return files().first { Self.declaredID(in: $0) == id }
    }

    /// The ids available in the search path, for suggestions.
    package func knownIDs() -> [String] {
        files().compactMap { Self.declaredID(in: $0) }
    }

    /// Playbook files directly in a folder, sorted; scenario files are not playbooks.
    package static func playbookFiles(in folder: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return names.filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !$0.contains(".scenario.") }
            .sorted().map { Path.join(folder, $0) }
    }

    /// The `id:` a file declares at top level, read cheaply without a full decode.
    static func declaredID(in path: String) -> String? {
        guard let root = YAML.load(path: path).root, let pairs = root.mapping else { return nil }
        return pairs.first { $0.key.scalarValue == "id" }?.value.scalarValue
    }
}
