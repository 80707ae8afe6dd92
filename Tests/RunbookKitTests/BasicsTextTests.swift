import Foundation
import RunbookBasics
import Testing

/// The standard-library replacements for the Foundation calls the binary no longer links: each
/// answers as the Foundation call it replaced did.
@Suite struct BasicsTextTests {
    /// (directory, last component, extension, stem) as `NSString`'s path methods give them.
    @Test(arguments: [
        ("/a/b.yaml", "/a", "b.yaml", "yaml", "b"), ("/a/b/", "/a", "b", "", "b"), ("a/b", "a", "b", "", "b"),
        ("a", "", "a", "", "a"), ("/a", "/", "a", "", "a"), ("/", "/", "/", "", "/"), ("a//b", "a", "b", "", "b"),
        (".hidden", "", ".hidden", "", ".hidden"), ("dir/x.tar.gz", "dir", "x.tar.gz", "gz", "x.tar"),
        ("./x.yaml", ".", "x.yaml", "yaml", "x"),
    ])
    func pathsSplitAsNSStringSplitsThem(_ c: (String, String, String, String, String)) {
        #expect(Path.directory(of: c.0) == c.1, "directory of \(c.0)")
        #expect(Path.lastComponent(of: c.0) == c.2, "last component of \(c.0)")
        #expect(Path.pathExtension(of: c.0) == c.3, "extension of \(c.0)")
        #expect(Path.stem(of: c.0) == c.4, "stem of \(c.0)")
    }

    @Test(arguments: [
        ("steps.a.outputs.x == 1", "outputs", true), ("steps.a.ok", "outputs", false), ("output", "outputs", false),
        ("outputs", "outputs", true), ("xoutputsx", "outputs", true), ("ooutputs", "outputs", true),
        ("é outputs", "outputs", true), ("", "outputs", false), ("abc", "", true),
    ])
    func aByteSearchFindsWhatContainsFinds(_ c: (String, String, Bool)) {
        #expect(c.0.containsBytes(of: c.1) == c.2, "\(c.0) contains \(c.1)")
        #expect(c.0.containsBytes(of: c.1) == (c.1.isEmpty || c.0.contains(c.1)))
    }

    /// What a run records as its playbook's path: as `URL.standardizedFileURL.path` gives it.
    @Test(arguments: [
        "/a/b.yaml", "b.yaml", "./b.yaml", "dir/../b.yaml", "/a/./b//c.yaml", "/a/b/", "../x.yaml", "/../x",
        "a/b/../../c", "/", ".", "..", "a//b/./c/..",
    ])
    func absolutePathsAreWhatAStandardizedFileURLGives(_ path: String) {
        let directory = "/work/dir"
        let expected = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: directory, isDirectory: true))
            .standardizedFileURL.path
        #expect(Path.absolute(path, in: directory) == expected, "\(path)")
    }

    @Test func theCurrentDirectoryIsTheProcesssOwn() {
        #expect(Path.currentDirectory() == FileManager.default.currentDirectoryPath)
    }

    @Test func anEmptyPathHasNoParts() {

        #expect(Path.directory(of: "") == "")
        #expect(Path.lastComponent(of: "") == "")
        #expect(Path.pathExtension(of: "") == "")
    }

    @Test func pathsJoinWithOneSlash() {
        #expect(Path.join("dir", "a.yaml") == "dir/a.yaml")
        #expect(Path.join("dir/", "a.yaml") == "dir/a.yaml")
        #expect(Path.join("/", "a.yaml") == "/a.yaml")
        #expect(Path.join("", "a.yaml") == "a.yaml")
    }

    @Test func isDirectoryFollowsTheFileSystem() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("basics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("f")
        try Data("x".utf8).write(to: file)
        #expect(Path.isDirectory(dir.path))
        #expect(!Path.isDirectory(file.path))
        #expect(!Path.isDirectory(dir.path + "/missing"))
    }

    @Test(arguments: ["  42\n", "\t\r\n x y \u{00A0}\u{2028}", "", " \n ", "é\u{301} ", "no-space"])
    func trimmingRemovesWhatFoundationRemoves(_ text: String) {
        #expect(text.trimmingWhitespace == text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test(arguments: [
        "", "systemctl restart {{ params.svc }}-1", "é\u{301} \u{FFFC} \u{1F600}\r\n",
        String(repeating: "a\u{212A}", count: 40),
        "\u{0}\u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}",
    ])
    func aStringsScalarsAreItsUnicodeScalarsInOrder(_ text: String) {
        #expect(text.scalarArray == Array(text.unicodeScalars))
        #expect(text.withUTF8Bytes { Array($0) } == Array(text.utf8))
    }

    @Test func paddingFillsToTheWidthAndNeverCuts() {
        #expect("ab".padded(to: 4) == "ab  ")
        #expect("abcdef".padded(to: 4) == "abcdef")
        #expect("".padded(to: 2) == "  ")
    }

    @Test func decimalsRoundHalfAwayFromZero() {
        #expect(DecimalText.fixed(1250, scale: 1000, digits: 1) == "1.3")
        #expect(DecimalText.fixed(1249, scale: 1000, digits: 1) == "1.2")
        #expect(DecimalText.fixed(4000, scale: 1000, digits: 1) == "4.0")
        #expect(DecimalText.fixed(61_950, scale: 1000, digits: 1) == "62.0")
        #expect(DecimalText.fixed(5, scale: 1000, digits: 2) == "0.01")
        #expect(DecimalText.fixed(-1250, scale: 1000, digits: 1) == "-1.3")
        #expect(DecimalText.fixed(1500, scale: 1000, digits: 0) == "2")
    }

    @Test func regularExpressionsSearchLikeGrep() throws {
        let load = try #require(RegularExpression(#"load average: ([0-9.]+)"#))
        #expect(load.firstCapture(in: "up 3 days, load average: 1.52, 0.30") == "1.52")
        #expect(RegularExpression(#"(\d+)%"#)?.firstCapture(in: "cpu 93% busy") == "93")
        // No group, or a group that took no part: the whole match.
        #expect(RegularExpression("b+")?.firstCapture(in: "abbc") == "bb")
        #expect(RegularExpression("(x)?b")?.firstCapture(in: "ab") == "b")
        #expect(RegularExpression("(?i)error")?.matches("ERROR: disk") == true)
        #expect(RegularExpression("^b$")?.matches("a\nb\nc") == false)
        #expect(RegularExpression("(?m)^b$")?.matches("a\nb\nc") == true)
        #expect(RegularExpression("^$")?.matches("") == true)
        #expect(RegularExpression("nope")?.firstCapture(in: "text") == nil)
    }

    /// A YAML block (`run: |`) ends with a line break; shown indented on a terminal, that was an
    /// empty line after the command. Only that last one goes: empty lines inside stay.
    @Test func aTextsFinalLineBreakIsNotShownAsALineOfItsOwn() {
        #expect("ls\ngrep x\n".displayLines == ["ls", "grep x"])
        #expect("ls\n\ngrep x\n\n".displayLines == ["ls", "", "grep x", ""])
        #expect("one line".displayLines == ["one line"])
        #expect("windows\r\n".displayLines == ["windows"])
        #expect("\n".displayLines == [""])
        #expect("".displayLines == [""])
    }

    @Test func dollarAlsoMatchesBeforeOneFinalNewline() {
        // Command output ends with a newline; `ok$` must still see `ok` as the end.
        #expect(RegularExpression("ok$")?.matches("ok\n") == true)
        #expect(RegularExpression("^[0-9]+$")?.firstCapture(in: "42\n") == "42")
        #expect(RegularExpression("ok$")?.matches("ok\n\n") == false)
        #expect(RegularExpression("ok$")?.matches("ok\nmore") == false)
    }

    @Test func dotIsOneScalarAsInGrep() {
        // "e" and a combining accent are two scalars, one Character.
        #expect(RegularExpression("^.$")?.matches("e\u{301}") == false)
        #expect(RegularExpression("^..$")?.matches("e\u{301}") == true)
        #expect(RegularExpression("h.llo")?.matches("héllo") == true)
    }

    @Test(arguments: ["[", "(", "*", "a{2,1}", "\\", "(?<=a)b", "[z-a]"])
    func invalidPatternsAreRefused(_ pattern: String) {
        #expect(RegularExpression(pattern) == nil)
    }
}
