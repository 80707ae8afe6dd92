import ArgumentParser
import FoundationEssentials
import Glibc
import RunbookBasics
import RunbookDiagnostics
import RunbookGraph
import RunbookPlaybook

struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Start a new playbook: a commented skeleton, or a copy of an existing playbook under a new id.",
        discussion: "Writes DIR/ID.yaml (never over an existing file) and prints the commands to try it with.")

    @Argument(help: "The new playbook's id ([a-z0-9][a-z0-9-]*).") var id: String
    @Option(help: "Copy this playbook (id or file) instead of the skeleton.", completion: Completions.playbooks)
    var from: String?
    @Option(help: "The folder to write into.") var dir = "playbooks"

    func run() throws {
        let console = Console()
        guard PlaybookScaffold.isValidID(id) else {
            console.report([
                .error(
                    "'\(id)' is not a playbook id", at: .file("runbook"),
                    hint: "use lowercase letters, digits and '-' (\(PlaybookScaffold.idSyntax)), e.g. disk-full")
            ])
            throw ExitCode(.invalidInput)
        }
        let path = Path.join(dir, "\(id).yaml")
        var info = stat()
        // lstat: a symbolic link, even a dangling one, counts as there.
        guard lstat(path, &info) != 0 else {
            console.report([
                .error(
                    "\(path) exists already", at: .file(path),
                    hint: "choose another id, or edit that file")
            ])
            throw ExitCode(.invalidInput)
        }
        let text = try from.map { try copied(from: $0, console: console) } ?? PlaybookScaffold.skeleton(id: id)
        // O_EXCL: never over a file that appeared meanwhile, nor through a symbolic link.
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            console.report([.error("cannot write \(path): \(String(cString: strerror(errno)))", at: .file(path))])
            throw ExitCode(.invalidInput)
        }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == bytes.count else {
            unlink(path)
            console.report([.error("cannot write \(path): \(String(cString: strerror(errno)))", at: .file(path))])
            throw ExitCode(.invalidInput)
        }
        console.out(
            """
            wrote \(path)\(from.map { " (a copy of \($0))" } ?? "")

            next:
              runbook validate \(path)
              runbook show \(path)
              runbook run \(path) --dry-run
              runbook rehearse \(path)

            """)
    }

    /// The text of `reference` with its id replaced; a playbook that does not load is refused.
    private func copied(from reference: String, console: Console) throws -> String {
        let loader = PlaybookLoader(library: .standard())
        switch loader.resolve(reference) {
        case .failure(let diagnostic):
            console.report([diagnostic])
            throw ExitCode(.invalidInput)
        case .success(let source):
            guard let text = try? String(contentsOfFile: source, encoding: .utf8),
                let copy = PlaybookScaffold.copy(text, as: id), PlaybookScaffold.declaresID(copy, id)
            else {
                console.report([
                    .error(
                        "cannot change the id of \(source) line by line (its id is not a plain 'id: VALUE' line)",
                        at: .file(source), hint: "copy the file and edit its id by hand")
                ])
                throw ExitCode(.invalidInput)
            }
            return copy
        }
    }
}
