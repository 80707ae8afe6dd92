import FoundationEssentials
import Glibc
import RunbookAudit
import RunbookBasics
import RunbookEffects
import RunbookEngine
import RunbookGraph
import RunbookPlaybook
import RunbookYAML

/// `runbook doctor`: what a run will need on this machine, each with what to do about it.
package enum Doctor {
    package struct Finding: Encodable, Sendable, Equatable {
        package enum Level: String, Encodable, Sendable {
            case ok, warning, problem
        }

        package var level: Level
        package var check: String
        package var detail: String
        package var fix: String?
    }

    package static func run(auditDirectory: String, environment: [String: String], library: PlaybookLibrary)
        -> [Finding]
    {
        [
            libyaml(), terminal(), audit(auditDirectory), auditKey(environment), lock(environment), playbooks(library),
            ssh(environment),
        ]
    }

    static func libyaml() -> Finding {
        let v = YAML.libraryVersion
        let text = "libyaml \(v.major).\(v.minor).\(v.patch)"
        guard (v.major, v.minor) >= (0, 2) else {
            return Finding(
                level: .problem, check: "libyaml", detail: text + " is older than 0.2",
                fix: "install libyaml 0.2 or later (Debian/Ubuntu: apt-get install libyaml-0-2)")
        }
        return Finding(level: .ok, check: "libyaml", detail: text)
    }

    static func terminal() -> Finding {
        guard Terminal.isAvailable() else {
            return Finding(
                level: .warning, check: "terminal",
                detail: "no terminal: confirmations, choices and manual steps are declined",
                fix: "run at a terminal, or pass --yes (and --choose) where nobody can answer")
        }
        return Finding(level: .ok, check: "terminal", detail: "/dev/tty answers confirmations")
    }

    static func audit(_ directory: String) -> Finding {
        if let problem = AuditDirectory.problem(directory) {
            return Finding(
                level: .problem, check: "audit directory", detail: problem,
                fix: "use a private directory of your own: --audit-dir DIR or RUNBOOK_AUDIT_DIR (chmod 700)")
        }
        let file = Path.join(directory, "audit.jsonl")
        guard FileManager.default.fileExists(atPath: file) else {
            return Finding(
                level: .ok, check: "audit directory", detail: "\(directory) (created, 0700, by the first run)")
        }
        do {
            let result = try AuditVerifier(key: AuditChain.key(in: ProcessEnvironment.current)).verify(
                path: file)
            if let problem = result.problem {
                return Finding(
                    level: .problem, check: "audit directory",
                    detail: "\(file), line \(problem.line): \(problem.message)",
                    fix: "runbook audit verify --audit-dir \(directory) shows where; keep a copy before --repair")
            }
            if let torn = result.tornBytes {
                return Finding(
                    level: .warning, check: "audit directory",
                    detail: "\(file): a run was killed mid-record (\(torn) bytes of a torn last line)",
                    fix: "runbook audit verify --repair --audit-dir \(directory) cuts it and records the repair")
            }
            return Finding(
                level: .ok, check: "audit directory", detail: "\(file): \(result.records) records, chain intact")
        } catch {
            return Finding(
                level: .problem, check: "audit directory", detail: "cannot read \(file): \(error)",
                fix: "check the file's owner and mode")
        }
    }

    static func auditKey(_ environment: [String: String]) -> Finding {
        guard AuditChain.key(in: environment) != nil else {
            return Finding(
                level: .ok, check: "audit key",
                detail: "no RUNBOOK_AUDIT_KEY: records are hash-chained, not signed",
                fix: "set RUNBOOK_AUDIT_KEY to sign each record with HMAC-SHA256 (README: Audit trail)")
        }
        return Finding(level: .ok, check: "audit key", detail: "RUNBOOK_AUDIT_KEY set: records carry an HMAC")
    }

    static func lock(_ environment: [String: String]) -> Finding {
        let directory = RunLock.directory(environment)
        var info = stat()
        if stat(directory, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR, access(directory, W_OK) == 0 else {
                return Finding(
                    level: .problem, check: "lock directory", detail: "\(directory) is not a writable directory",
                    fix: "set RUNBOOK_LOCK_DIR to a directory you can write")
            }
            return Finding(level: .ok, check: "lock directory", detail: directory)
        }
        let parent = Path.directory(of: directory)
        guard access(parent.isEmpty ? "." : parent, W_OK) == 0 else {
            return Finding(
                level: .problem, check: "lock directory", detail: "\(directory) does not exist and cannot be created",
                fix: "set RUNBOOK_LOCK_DIR to a directory you can write")
        }
        return Finding(level: .ok, check: "lock directory", detail: "\(directory) (created by the first run)")
    }

    /// The OpenSSH client that steps with `on:` run through (README: targets).
    static func ssh(_ environment: [String: String]) -> Finding {
        let folders = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        guard let found = folders.map({ $0 + "/ssh" }).first(where: FileManager.default.isExecutableFile(atPath:))
        else {
            return Finding(
                level: .warning, check: "ssh", detail: "no ssh client in PATH: steps with on: cannot reach their hosts",
                fix: "install the OpenSSH client (Debian/Ubuntu: apt-get install openssh-client)")
        }
        return Finding(level: .ok, check: "ssh", detail: "\(found) (steps with on: connect with it)")
    }

    static func playbooks(_ library: PlaybookLibrary) -> Finding {
        let results = PlaybookCatalog(library: library).validate(
            library.folders.filter {
                FileManager.default.fileExists(atPath: $0)
            })
        let broken = results.filter { $0.diagnostics.contains { $0.severity == .error } }
        let where_ = library.folders.joined(separator: ", ")
        if results.isEmpty {
            return Finding(
                level: .warning, check: "playbooks", detail: "no playbook in \(where_)",
                fix: "runbook new ID writes one into ./playbooks; RUNBOOK_PATH adds folders")
        }
        guard broken.isEmpty else {
            return Finding(
                level: .problem, check: "playbooks",
                detail:
                    "\(broken.count) of \(results.count) do not validate: \(broken.map(\.file).joined(separator: ", "))",
                fix: "runbook validate shows each error with file:line:column")
        }
        return Finding(level: .ok, check: "playbooks", detail: "\(results.count) in \(where_), all valid")
    }
}
