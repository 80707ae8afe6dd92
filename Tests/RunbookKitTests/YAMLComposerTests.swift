import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookDiagnostics
@testable import RunbookYAML

@Suite struct YAMLComposerTests {
    private func parseFixture(_ name: String) -> YAML.ParseResult {
        YAML.load(path: Fixtures.path("yaml/\(name)"))
    }

    private func only(_ result: YAML.ParseResult) -> (line: Int, column: Int, message: String)? {
        guard result.diagnostics.count == 1, let d = result.diagnostics.first else { return nil }
        return (d.location.line, d.location.column, d.message)
    }

    @Test func composesMappingsSequencesAndScalarsWithPositions() throws {
        let result = YAML.parse("id: high-cpu\ntags: [a, 'b']\nnested:\n  - x: 1\n", file: "t.yaml")
        #expect(result.diagnostics.isEmpty)
        let pairs = try #require(result.root?.mapping)
        #expect(pairs.map { $0.key.scalar?.value } == ["id", "tags", "nested"])
        #expect(pairs[0].value.start == SourceLocation(file: "t.yaml", line: 1, column: 5))
        let tags = try #require(pairs[1].value.sequence)
        #expect(tags[1].scalar?.style == .singleQuoted)
        #expect(tags[1].text?.location == SourceLocation(file: "t.yaml", line: 2, column: 12))
        let inner = try #require(pairs[2].value.sequence?.first?.mapping?.first)
        #expect(inner.value.start == SourceLocation(file: "t.yaml", line: 4, column: 8))
    }

    @Test func duplicateKeyIsAnErrorAtTheSecondKey() throws {
        let d = try #require(only(parseFixture("duplicate-key.yaml")))
        #expect(d.line == 4 && d.column == 1)
        #expect(d.message == "duplicate key 'title' (first defined at line 3, column 1)")
    }

    /// A mapping of many keys indexes them instead of comparing each new key with every earlier
    /// one: a repeat is still found on either side of that switch, at its first definition.
    @Test func duplicateKeysAreFoundInMappingsOfAnySize() {
        var lines = (0..<40).map { "k\($0): \($0)" }
        lines.insert("k3: again", at: 10)
        lines.append("k20: again")
        lines.append("k3: once more")
        let result = YAML.parse(lines.joined(separator: "\n"), file: "t.yaml")
        #expect(
            result.diagnostics.map { "\($0.location.line):\($0.location.column) \($0.message)" } == [
                "11:1 duplicate key 'k3' (first defined at line 4, column 1)",
                "42:1 duplicate key 'k20' (first defined at line 22, column 1)",
                "43:1 duplicate key 'k3' (first defined at line 4, column 1)",
            ])
    }

    @Test func aliasBombIsRejectedQuickly() throws {
        let started = Date()
        let d = try #require(only(parseFixture("alias-bomb.yaml")))
        #expect(Date().timeIntervalSince(started) < 1)
        #expect(d.message == "aliases expand to more than 100000 nodes")
        #expect(d.line == 6)
    }

    @Test func deepNestingIsRejectedWithoutCrashing() throws {
        let deep = String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000)
        let started = Date()
        let d = try #require(only(YAML.parse(deep, file: "deep.yaml")))
        #expect(Date().timeIntervalSince(started) < 1)
        #expect(d.message == "nesting is deeper than 256 levels")
        #expect(d.line == 1 && d.column == 257)
    }

    @Test func deepBlockMappingNestingIsRejected() throws {
        var text = ""
        for level in 0..<300 { text += String(repeating: " ", count: level) + "k:\n" }
        let d = try #require(only(YAML.parse(text, file: "deep.yaml")))
        #expect(d.message == "nesting is deeper than 256 levels")
    }

    @Test func secondDocumentIsAnError() throws {
        let d = try #require(only(parseFixture("two-documents.yaml")))
        #expect(d.line == 3 && d.column == 1)
        #expect(d.message == "the file holds more than one YAML document")
    }

    @Test func emptyDocumentIsAnErrorAtTheFirstLine() throws {
        let result = parseFixture("empty-document.yaml")
        let d = try #require(only(result))
        #expect(d.line == 1 && d.column == 1)
        #expect(d.message == "the file holds no YAML document")
        #expect(result.isEmpty)
    }

    @Test(arguments: ["", "\n\n", "   \n  \n", "# only\n# comments\n"])
    func emptyInputIsAnErrorAtTheFirstLine(text: String) throws {
        let result = YAML.parse(text, file: "e.yaml")
        #expect(result.root == nil && result.isEmpty)
        #expect(result.diagnostics.map(\.description) == ["e.yaml:1:1: error: the file holds no YAML document"])
        #expect(result.diagnostics.first?.hint == "the file is empty or holds only comments and blank lines")
    }

    static let colonHint = "put the whole value in quotes (\"…\" or '…') from here, or write it as a block after '|'"

    @Test func colonAndSpaceInAPlainValueIsReportedAtTheStartOfTheValue() throws {
        let d = try #require(only(parseFixture("colon-in-plain-value.yaml")))
        #expect(d.line == 3 && d.column == 8)
        #expect(d.message == "an unquoted value cannot contain ': ' (YAML reads a colon followed by a space as a key)")
        #expect(parseFixture("colon-in-plain-value.yaml").diagnostics.first?.hint == Self.colonHint)
    }

    @Test(arguments: [
        // (yaml, line, column) of the value the quotes belong around
        ("recovery:\n  - id: say\n    run: echo foo: bar\n", 3, 10),
        ("recovery:\n  - {id: a, run: x}\n  - run: echo a: b: c\n", 3, 10),
        ("title: Disk  : full\n", 1, 8),
        ("title: Disk\tfull: now\n", 1, 8),
        ("prevention:\n  - Alert on: pool: usage\n", 2, 15),
        ("title: Stage 2\nsummary: café: ok\n", 2, 10),
    ])
    func colonInAPlainValuePointsWhereTheQuoteGoes(yaml: String, line: Int, column: Int) throws {
        let result = YAML.parse(yaml, file: "c.yaml")
        let d = try #require(only(result))
        #expect(d.message == "an unquoted value cannot contain ': ' (YAML reads a colon followed by a space as a key)")
        #expect(d.line == line && d.column == column)
        #expect(result.diagnostics.first?.hint == Self.colonHint)
    }

    @Test func colonAfterAQuotedValueKeepsLibyamlsMessage() throws {
        let d = try #require(only(YAML.parse("title: \"Disk\": full\n", file: "q.yaml")))
        #expect(d.message == "YAML syntax: mapping values are not allowed in this context")
        #expect(d.line == 1 && d.column == 14)
    }

    static let templateMessage =
        "a value that starts with '{' is a YAML mapping, so this '{{' does not start a template"

    @Test func templateAtTheStartOfAValueIsReportedAtTheValue() throws {
        let result = parseFixture("template-at-value-start.yaml")
        let d = try #require(only(result))
        #expect(d.line == 8 && d.column == 10)
        #expect(d.message == Self.templateMessage)
        #expect(
            result.diagnostics.first?.hint
                == "put the whole value in quotes: \"{{ … }} …\" (a template later in a value needs none)")
    }

    @Test(arguments: [
        // Valid YAML (a mapping inside a mapping) as well as YAML that libyaml rejects further on.
        ("run: {{ params.x }}\n", 1, 6),
        ("run: {{params.x}} --flag\n", 1, 6),
        ("run:\n  - {{ params.x }}\n", 2, 5),
        ("with: {service: {{ params.x }}}\n", 1, 17),
    ])
    func templateAtTheStartOfAnyValueIsReported(yaml: String, line: Int, column: Int) throws {
        let d = try #require(only(YAML.parse(yaml, file: "t.yaml")))
        #expect(d.message == Self.templateMessage)
        #expect(d.line == line && d.column == column)
    }

    @Test func flowMappingsAndLaterTemplatesAreNotReported() {
        let result = YAML.parse(
            "with: {service: api}\nrun: echo {{ params.x }}\ntitle: \"{{ params.x }}\"\n", file: "f.yaml")
        #expect(result.diagnostics.isEmpty)
    }

    @Test func invalidUTF8IsReportedWithPosition() throws {
        let d = try #require(only(parseFixture("invalid-utf8.yaml")))
        #expect(d.message.hasPrefix("the file is not valid UTF-8 text: invalid leading UTF-8 octet"))
        #expect(d.line == 2 && d.column == 13)
    }

    @Test func syntaxErrorReportsProblemAndContext() throws {
        let d = try #require(only(parseFixture("syntax-error.yaml")))
        #expect(d.line == 3 && d.column == 6)
        #expect(
            d.message
                == "YAML syntax: did not find expected ',' or ']' (while parsing a flow sequence at line 2, column 5)")
    }

    @Test func unknownAliasIsAnError() throws {
        let d = try #require(only(parseFixture("unknown-alias.yaml")))
        #expect(d.line == 1 && d.column == 6)
        #expect(d.message == "unknown alias '*missing'")
    }

    @Test func oversizedInputIsRejectedBeforeParsing() throws {
        let result = YAML.parse("a: 1234567890\n", file: "big.yaml", limits: .init(maxBytes: 8))
        #expect(result.root == nil)
        #expect(result.diagnostics.first?.message == "the file is 14 bytes, more than the limit of 8")
    }

    @Test func anOversizedFileIsReportedFromItsFirstBytesPastTheLimit() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/big.yaml"
        try ("a: " + String(repeating: "x", count: 100_000) + "\n").write(
            toFile: path, atomically: true, encoding: .utf8)
        let result = YAML.load(path: path, limits: .init(maxBytes: 1_000))
        #expect(result.root == nil)
        #expect(result.diagnostics.map(\.message) == ["the file is 1001 bytes, more than the limit of 1000"])
        #expect(result.diagnostics.first?.location == .file(path))
    }

    @Test func aFileReadWithoutASizeParsesAsTheSameBytesInMemory() throws {
        // A pipe has no size: the read grows its room as the bytes come (in several steps here).
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fifo = dir + "/pipe.yaml"
        try #require(mkfifo(fifo, 0o600) == 0)
        let text = "list:\n" + (0..<20_000).map { "  - item \($0) é\n" }.joined()
        let writer = Thread {
            let fd = open(fifo, O_WRONLY)
            guard fd >= 0 else { return }
            Array(text.utf8).withUnsafeBytes { bytes in
                var done = 0
                while done < bytes.count {
                    let n = write(fd, bytes.baseAddress! + done, min(4_096, bytes.count - done))
                    if n <= 0 { break }
                    done += n
                }
            }
            close(fd)
        }
        writer.start()
        let read = YAML.load(path: fifo)
        let parsed = YAML.parse(text, file: fifo)
        #expect(read.diagnostics.isEmpty)
        #expect(read.bytes == text.utf8.count)
        #expect(read.root == parsed.root)
        #expect(read.root?.mapping?.first?.value.sequence?.count == 20_000)
    }

    @Test func aSourceMapOfBytesIsTheMapOfTheirText() {
        // Short and long (an ASCII text is read as its bytes, its lines found apart), with and
        // without CR, ending with and without a break, with empty lines.
        let long = (0..<200).map { "  - line \($0): " + String(repeating: "x", count: $0 % 7) }
        var texts = ["a: 1\r\nb: x\ry\n\nc: \u{2028}d\u{85}é: ü\u{2029}end", "ascii: only\n", "", "\n", "x"]
        texts += [long.joined(separator: "\n"), long.joined(separator: "\n") + "\n\n", long.joined(separator: "\r\n")]
        texts += [
            long.joined(separator: "\r"), "\n" + long.joined(separator: "\n\n"), long.joined(separator: "\n") + "é",
        ]
        for text in texts {
            let fromText = SourceMap(file: "f.yaml", text: text)
            let fromBytes = Array(text.utf8).withUnsafeBufferPointer { SourceMap(file: "f.yaml", bytes: $0) }
            #expect(Array(fromBytes.scalars) == Array(fromText.scalars))
            #expect(fromBytes.lineStarts == fromText.lineStarts)
            #expect((fromBytes.asciiBytes != nil) == text.utf8.allSatisfy { $0 < 0x80 })
        }
        // Invalid UTF-8: one replacement character for each invalid byte, as libyaml counts them.
        let invalid: [UInt8] = [0x61, 0xFF, 0x0A, 0x62, 0xC3]
        let map = invalid.withUnsafeBufferPointer { SourceMap(file: "f.yaml", bytes: $0) }
        #expect(Array(map.scalars) == ["a", "\u{FFFD}", "\n", "b", "\u{FFFD}"])
        #expect(map.lineStarts == [0, 3])
    }

    @Test func aliasesWithinTheLimitAreExpanded() throws {
        let result = YAML.parse("base: &b {x: 1}\ncopy: *b\n", file: "t.yaml")
        #expect(result.diagnostics.isEmpty)
        #expect(result.root?.mapping?[1].value.mapping?.first?.key.scalar?.value == "x")
    }

    @Test(arguments: [
        // (yaml, offset into the value of key 'v', expected line, expected column)
        ("v: abc def\n", 4, 1, 8),
        ("v: 'it''s {{ x }}'\n", 5, 1, 11),
        ("v: \"a\\tb {{ x }}\"\n", 4, 1, 10),
        ("v: |\n  line one\n  two {{ x }}\n", 13, 3, 7),
        ("v: >-\n  first\n  second\n", 6, 3, 3),
        ("v: plain\n  continued here\n", 6, 2, 3),
    ])
    func scalarOffsetsMapToSourcePositions(yaml: String, offset: Int, line: Int, column: Int) throws {
        let result = YAML.parse(yaml, file: "s.yaml")
        let text = try #require(result.root?.mapping?.first?.value.text)
        #expect(text.location(atOffset: offset) == SourceLocation(file: "s.yaml", line: line, column: column))
    }

    @Test func aLocationLookedForOnAGivenLineIsTheLocationFoundBySearch() {
        // Every kind of line break, an empty line, a last line without a break; every index
        // against every hint, right or wrong, including hints past either end.
        let map = SourceMap(file: "f.yaml", text: "a: 1\r\nb: x\ry\n\nc: \u{2028}d\u{85}é: ü\u{2029}end")
        for index in 0...map.scalars.count {
            let found = map.location(ofIndex: index)
            for line in -1...(map.lineStarts.count + 1) {
                #expect(map.location(ofIndex: index, onLine: line) == found, "index \(index), line \(line)")
            }
        }
    }

    @Test func scalarsKeepTheirPositionsOnEveryLineOfALongDocument() {
        // Verbatim scalars, found through libyaml's line, on lines past the first thousand.
        let text = (0..<3000).map { "k\($0): \"v \($0)\"\n" }.joined()
        let result = YAML.parse(text, file: "long.yaml")
        let pairs = result.root?.mapping ?? []
        #expect(pairs.count == 3000)
        for (n, pair) in pairs.enumerated() where n % 97 == 0 || n == 2999 {
            let value = pair.value.scalar!
            #expect(
                value.positions.location(atOffset: 0)
                    == SourceLocation(file: "long.yaml", line: n + 1, column: "k\(n): \"".count + 1))
        }
    }

    @Test func anASCIIFilesScalarsHaveThePositionsTheScalarByScalarAlignmentGives() {
        // An ASCII file's verbatim values are found by comparing bytes; a comment beyond ASCII
        // at the end sends the same document through the alignment of scalars.
        let document = """
            plain: systemctl restart api
            single: 'it''s here'
            double: "a \\ b \\n c"
            folded: a
              b   c
            quoted: "x
              y"
            block: |
              one
                two
            tab: "a\tb"
            list: [p, 'q r', "s"]
            near: "abc"   # same length as the value, different bytes
            """
        func scalars(_ text: String) -> [String] {
            var found: [String] = []
            func walk(_ node: YAML.Node) {
                switch node.content {
                case .scalar(let scalar):
                    let count = scalar.value.unicodeScalars.count
                    found.append(
                        "\(scalar.value): "
                            + (0...count).map { "\(scalar.positions.location(atOffset: $0))" }.joined(separator: " "))
                case .sequence(let items): items.forEach(walk)
                case .mapping(let pairs):
                    for pair in pairs {
                        walk(pair.key)
                        walk(pair.value)
                    }
                }
            }
            if let root = YAML.parse(text, file: "s.yaml").root { walk(root) }
            return found
        }
        let ascii = scalars(document + "\n")
        #expect(ascii.count == 20)
        #expect(ascii == scalars(document + "\n# \u{e9}\n"))
    }
}
