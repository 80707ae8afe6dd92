import Foundation
import RunbookTestSupport
import Testing

/// docs/runbook.1 is generated from the argument parser (scripts/man-page); it must keep up
/// with the commands and options the binary has, and scripts/install-extras installs it.
@Suite struct ManPageTests {
    private let manPage = Fixtures.root.appendingPathComponent("docs/runbook.1").path

    @Test func theManPageNamesEveryCommandAndOption() throws {
        let page = try String(contentsOfFile: manPage, encoding: .utf8)
        let help = try CLI.run(["--help"]).stdout
        // SUBCOMMANDS: lines indented by exactly two spaces name a command.
        let commands = Self.section("SUBCOMMANDS:", of: help).compactMap { line -> String? in
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { return nil }
            return line.split(separator: " ").first.map(String.init)
        }
        #expect(commands.count >= 14, "\(commands)")
        for command in commands where command != "help" {
            #expect(page.contains(".It Em \(command)"), "docs/runbook.1 has no '\(command)': run scripts/man-page")
            // OPTIONS: a line indented by two spaces and starting with '-' declares options.
            let declared = Self.section("OPTIONS:", of: try CLI.run([command, "--help"]).stdout)
                .filter { $0.hasPrefix("  -") }
                .flatMap { line in
                    (line.components(separatedBy: "  ").dropFirst().first ?? "").split(separator: " ")
                        .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ",")) }
                        .filter { $0.hasPrefix("--") }
                }
            #expect(!declared.isEmpty, "\(command) has no options?")
            for option in Set(declared) {
                // mdoc writes `--name` as `Fl -name`.
                #expect(
                    page.contains("Fl \(option.dropFirst())"),
                    "docs/runbook.1 lacks \(command) \(option): run scripts/man-page")
            }
        }
    }

    /// The lines of a help section, up to the next blank line.
    private static func section(_ heading: String, of help: String) -> [String] {
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(of: heading) else { return [] }
        return Array(lines[(start + 1)...].prefix { !$0.isEmpty })
    }

    @Test func installExtrasPutsCompletionsAndTheManPageUnderThePrefix() throws {
        let prefix = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: prefix) }
        let process = Process()
        process.executableURL = Fixtures.root.appendingPathComponent("scripts/install-extras")
        process.arguments = [prefix]
        process.environment = ProcessInfo.processInfo.environment.merging(["RUNBOOK": CLI.binary]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        for file in [
            "share/bash-completion/completions/runbook", "share/zsh/site-functions/_runbook",
            "share/fish/vendor_completions.d/runbook.fish", "share/man/man1/runbook.1",
        ] {
            let size = (try? FileManager.default.attributesOfItem(atPath: prefix + "/" + file)[.size] as? Int) ?? 0
            #expect(size > 1000, "\(file) missing or empty")
        }
    }
}
