import ArgumentParser
import FoundationEssentials
import Glibc
import RunbookBasics
import RunbookDiagnostics
import RunbookEvents
import RunbookReport

/// Where the executable writes: stdout for results, stderr for diagnostics, colour only at a terminal.
struct Console {
    let color: Bool
    /// `--json` on the command line: diagnostics, like results, are JSON (README: "JSON output").
    let json: Bool

    init(
        environment: [String: String] = ProcessEnvironment.current,
        arguments: [String] = CommandLine.arguments
    ) {
        // NO_COLOR counts when set and not empty (no-color.org).
        color = (environment["NO_COLOR"] ?? "").isEmpty && isatty(STDERR_FILENO) == 1 && environment["TERM"] != "dumb"
        json = arguments.dropFirst().contains("--json")
    }

    /// Where a live run draws its status line: stdout when it is a terminal that takes escape
    /// codes (`NO_COLOR` empty or unset, `TERM` not `dumb`); nil elsewhere.
    static func statusLine(environment: [String: String] = ProcessEnvironment.current) -> RunRenderer
        .StatusLine?
    {
        guard isatty(STDOUT_FILENO) == 1, (environment["NO_COLOR"] ?? "").isEmpty, environment["TERM"] != "dumb"
        else { return nil }
        var size = winsize()
        let columns = ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
        return RunRenderer.StatusLine(write: { StandardStreams.write($0, to: STDOUT_FILENO) }, columns: columns)
    }

    /// Results and run progress; control characters from playbooks and step output are shown, not obeyed.
    func out(_ text: String) {
        text.withNeutralizedControls { StandardStreams.write(bytes: $0, to: STDOUT_FILENO) }
    }

    func err(_ text: String) {
        StandardStreams.write(text, to: STDERR_FILENO)
    }

    /// Diagnostics in the compiler format, with the offending source line and a caret.
    func report(_ diagnostics: [Diagnostic]) {
        guard !diagnostics.isEmpty else { return }
        if json {
            // One object per line on stderr, so stdout stays the one result document.
            for diagnostic in diagnostics { err(JSONOutput.line(DiagnosticJSON(diagnostic))) }
            return
        }
        let cache = SourceLines()
        err(DiagnosticRenderer(color: color, sourceLine: { cache.line($0, $1) }).render(diagnostics))
    }
}

/// Reads source files on demand for diagnostic excerpts, each file once.
final class SourceLines: Sendable {
    private let files = Locked<[String: [Substring]]>([:])

    func line(_ file: String, _ number: Int) -> String? {
        let lines = files.withLock { files in
            if let lines = files[file] { return lines }
            let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            files[file] = lines
            return lines
        }
        guard number >= 1, number <= lines.count else { return nil }
        var line = lines[number - 1]
        while line.hasPrefix("\r") { line = line.dropFirst() }
        while line.hasSuffix("\r") { line = line.dropLast() }
        return String(line)
    }
}

extension ExitCode {
    init(_ status: ExitStatus) { self.init(status.rawValue) }
}

extension Diagnostic {
    /// An audit command asked about a run the trail does not hold.
    static func noRun(_ runID: String, in directory: String) -> Diagnostic {
        .error(
            "no run '\(runID)' in this audit trail", at: .file(directory), hint: "'runbook audit list' shows the runs")
    }
}
