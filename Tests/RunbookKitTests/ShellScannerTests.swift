import Testing

@testable import RunbookExpression

/// Where each template of a command stands, and which program re-parses it, as the scanner finds it.
@Suite struct ShellScannerTests {
    private func slots(_ command: String) throws -> [ShellSlot] {
        try Template(parsing: ExprTest.source(command), mode: .shell).shellSlots
    }

    private func contexts(_ command: String) throws -> [ShellContext] {
        try slots(command).map(\.context)
    }

    @Test(arguments: [
        ("echo {{ a }}", [ShellContext.unquoted]),
        ("echo \"x {{ a }} y\"", [.doubleQuoted]),
        ("echo \"it's {{ a }}\" '{{ b }}'", [.doubleQuoted, .singleQuoted]),
        ("echo 'a' {{ a }} \"b\"", [.unquoted]),
        ("echo \"$(echo {{ a }})\"", [.unquoted]),
        ("echo \"$(echo \"{{ a }}\")\" {{ b }}", [.doubleQuoted, .unquoted]),
        ("echo `echo {{ a }}`", [.backticks]),
        ("echo \"`echo {{ a }}`\"", [.backticksInQuotes]),
        ("echo $(( {{ a }} + 1 )) {{ b }}", [.arithmetic, .unquoted]),
        ("(( {{ a }} > 1 )); echo {{ b }}", [.arithmetic, .unquoted]),
        ("echo $[ {{ a }} ]", [.arithmetic]),
        ("echo ${X:-{{ a }}} {{ b }}", [.parameterExpansion, .unquoted]),
        ("echo \"${X:-{{ a }}}\"", [.parameterExpansion]),
        ("echo \\{{ a }} \\\\{{ b }}", [.escaped, .unquoted]),
        ("echo ${{ a }} $${{ b }}", [.afterDollar, .afterDollar]),
        ("echo $'{{ a }}' $\"{{ b }}\"", [.singleQuoted, .doubleQuoted]),
        ("echo hi # {{ a }}\necho '{{ b }}'", [.comment, .singleQuoted]),
        ("echo a#{{ a }}", [.unquoted]),
        ("cat <<EOF\n{{ a }} '{{ b }}' \"{{ c }}\"\nEOF\necho {{ d }}", [.heredoc, .heredoc, .heredoc, .unquoted]),
        ("cat <<'EOF'\n{{ a }}\nEOF\necho {{ b }}", [.quotedHeredoc, .unquoted]),
        ("cat <<E\"O\"F\n{{ a }}\nEOF", [.quotedHeredoc]),
        ("cat <<-EOF\n\t{{ a }}\n\tEOF\necho '{{ b }}'", [.heredoc, .singleQuoted]),
        ("cat <<EOF\nEOF x {{ a }}\n EOF\n{{ b }}\nEOF\n'{{ c }}'", [.heredoc, .heredoc, .singleQuoted]),
        ("cat <<A <<'B'\n{{ a }}\nA\n{{ b }}\nB\necho {{ c }}", [.heredoc, .quotedHeredoc, .unquoted]),
        ("cat <<EOF; echo '{{ a }}'\n{{ b }}\nEOF", [.singleQuoted, .heredoc]),
        ("cat <<EOF\n$(echo {{ a }}) \\{{ b }}\nEOF", [.unquoted, .escaped]),
        ("cat <<<{{ a }}", [.unquoted]),
        ("cat <<{{ a }}\nx", [.heredocDelimiter]),
        ("case {{ a }} in x) echo \"{{ b }}\";; esac; echo '{{ c }}'", [.unquoted, .doubleQuoted, .singleQuoted]),
        ("v=$(case a in a) echo {{ a }};; esac); echo '{{ b }}'", [.unquoted, .singleQuoted]),
        ("echo \"a\\\"{{ a }}\"", [.doubleQuoted]),
        ("echo 'it''s' {{ a }}", [.unquoted]),
    ])
    func findsTheContextOfEachTemplate(_ command: String, _ expected: [ShellContext]) throws {
        #expect(try contexts(command) == expected)
    }

    @Test(arguments: [
        ("[[ {{ a }} -eq 1 ]]", true), ("[[ 1 -lt {{ a }} ]] && echo {{ b }}", true), ("[[ {{ a }} == x ]]", false),
        ("[ {{ a }} -eq 1 ]", false), ("let n={{ a }}", true), ("declare -i n={{ a }}", true),
        ("local -ri n={{ a }}", true), ("declare n={{ a }}", false), ("echo let {{ a }}", false),
    ])
    func findsArgumentsThatBashEvaluatesAsArithmetic(_ command: String, _ arithmetic: Bool) throws {
        #expect(try slots(command).first?.needsNumber == arithmetic)
    }

    @Test(arguments: [
        ("sh -c \"echo {{ a }}\"", "sh -c"),
        ("sh -c 'echo \"$1\"' sh {{ a }}", nil),
        ("sudo -u app bash -lc \"{{ a }}\"", "bash -c"),
        ("docker exec web sh -c \"ls {{ a }}\"", "sh -c"),
        ("kubectl exec pod -- /bin/bash -c \"{{ a }}\"", "bash -c"),
        ("timeout 5 sh -ec \"{{ a }}\"", "sh -c"),
        ("eval \"echo {{ a }}\"", "eval"),
        ("ssh -p 2222 -i key host systemctl restart {{ a }}", "ssh"),
        ("ssh {{ a }} uptime", "ssh"),
        ("su - app -c \"{{ a }}\"", "su -c"),
        ("watch -n 5 \"ls {{ a }}\"", "watch"),
        ("echo {{ a }} | sh", "sh"),
        ("echo {{ a }} | sudo bash -s", "bash"),
        ("echo {{ a }} | sh -c 'cat'", nil),
        ("echo {{ a }} || sh", nil),
        ("echo {{ a }} | ssh host", "ssh"),
        ("bash <<EOF\necho {{ a }}\nEOF", "bash"),
        ("ssh host <<EOF\n{{ a }}\nEOF", "ssh"),
        ("ssh host cat <<EOF\n{{ a }}\nEOF", nil),
        ("cat <<EOF | sh\n{{ a }}\nEOF", "sh"),
        ("systemctl restart {{ a }}", nil),
        ("grep sh {{ a }}", nil),
    ])
    func findsProgramsThatParseTheValueAsShellCodeAgain(_ command: String, _ program: String?) throws {
        #expect(try slots(command).first?.reparsedBy == program)
    }
}

/// Which param patterns prove that a value is a plain shell word.
@Suite struct ShellWordPatternTests {
    @Test(arguments: [
        "^[a-z][a-z0-9_.@-]*$", "^[A-Za-z0-9_-]+$", "^\\d{1,5}$", "^(prod|staging)$", "^[a-z]+(\\.[a-z]+)*$",
        "^v\\d+\\.\\d+\\.\\d+$", "^\\w+$", "^web[0-9]{2}\\.example\\.com$",
    ])
    func anchoredPatternsOfPlainCharactersAdmitOnlyPlainWords(_ pattern: String) {
        #expect(ShellWordPattern.admitsOnlyPlainWords(pattern))
    }

    @Test(arguments: [
        "[a-z]+", "^[a-z]+", "[a-z]+$", "^.+$", "^[^;]+$", "^\\S+$", "^[a-z ]+$", "^prod|staging$", "^[!-~]+$",
        "^a\\$", "^[a-z]+\\s$", "^(?=x)x$", "^[a-z$]+$", "^a;b$", "^[a-z]+\\$",
    ])
    func anythingWiderIsTreatedAsAdmittingShellSyntax(_ pattern: String) {
        #expect(!ShellWordPattern.admitsOnlyPlainWords(pattern))
    }
}

/// Cases an attack on the scanner found; each once let a value through or flipped a context.
@Suite struct ShellScannerRegressionTests {
    private func slots(_ command: String) throws -> [ShellSlot] {
        try Template(parsing: ExprTest.source(command), mode: .shell).shellSlots
    }

    @Test(arguments: [
        "slots[{{ a }}]=busy", "arr=([{{ a }}]=1)", "arr+=([{{ a }}]=1)", "echo $\\\n(( {{ a }} ))",
        "$(\\\n( {{ a }} ))", "(\\\n( {{ a }} ))", "cat <<EOF\n$\\\n(( {{ a }} ))\nEOF", "declare -i v; v={{ a }}",
        "f() { local -i v; v={{ a }}; }; f", "typeset -i v; v+={{ a }}", "declare -i v=$(echo {{ a }})",
    ])
    func arithmeticThatWasMissedNeedsANumber(_ command: String) throws {
        #expect(try slots(command).first?.needsNumber == true, "\(command)")
    }

    @Test(arguments: [
        "printf -v {{ a }} %s 1", "read {{ a }} <<< 1", "read -r -p 'value: ' {{ a }}", "declare -n r={{ a }}",
        "[[ -v {{ a }} ]]", "test -v {{ a }}", "declare {{ a }}=1", "unset {{ a }}", "for {{ a }} in 1 2; do :; done",
    ])
    func variableNamesAreRefused(_ command: String) throws {
        let slot = try #require(try slots(command).first)
        #expect(slot.usedAsName, "\(command)")
        #expect(slot.problem(for: .number) != nil)
    }

    @Test(arguments: [
        "printf %s \"[{{ a }}]\"", "ls [{{ a }}]*", "echo x[{{ a }}]", "[ {{ a }} = x ]",
        "read -p '{{ a }}' v", "printf '%s' {{ a }}", "declare v={{ a }}", "export PATH={{ a }}:$PATH",
        "for v in {{ a }}; do :; done",
    ])
    func valuesBesideNamesAreFine(_ command: String) throws {
        let slot = try #require(try slots(command).first)
        #expect(!slot.usedAsName && !slot.needsNumber, "\(command)")
    }

    @Test func quotesAreTrackedAfterACaseInsideACommandSubstitution() throws {
        let command = """
            state="$(case "$(id -u)" in (0) echo root;; (*) echo user;; esac)"
            rm -rf "/tmp/cache/{{ a }}" {{ b }}
            """
        #expect(try slots(command).map(\.context) == [.doubleQuoted, .unquoted])
    }

    @Test func aBackslashEscapesAQuoteInsideDollarSingleQuotes() throws {
        #expect(try slots("echo $'Don\\'t panic'; systemctl status {{ a }}").map(\.context) == [.unquoted])
    }

    @Test(
        arguments: [
            ("trap \"echo cleaning {{ a }}\" EXIT", "trap", true),
            ("awk \"BEGIN{print \\\"{{ a }}\\\"}\"", "awk", false),
            ("awk -F: '{print}' {{ a }}", nil, true), ("sed \"s/hi/{{ a }}/\" f", "sed", false),
            ("sed -e \"s/x/{{ a }}/\" f", "sed", false), ("perl -e \"print '{{ a }}'\"", "perl", false),
            ("python3 -c \"print('{{ a }}')\"", "python", false),
            ("flock /tmp/l -c \"echo {{ a }}\"", "flock -c", true),
            ("watch -n1 -g \"ls {{ a }}\"", "watch", true), ("ssh {{ a }} uptime", "ssh", true),
            ("ssh -o ProxyCommand={{ a }} host", "ssh", true), (". /dev/stdin <<EOF\n{{ a }}\nEOF", ".", true),
            ("echo {{ a }} | xargs -I{} sh -c 'echo {}'", "xargs … sh -c", true),
            ("mapfile -C {{ a }} arr", "mapfile -C", true),
            ("sqlite3 db.sqlite \"SELECT '{{ a }}'\"", "SQL (sqlite3)", false),
            ("sqlite3 {{ a }} 'SELECT 1'", nil, true),
            ("psql -c \"DELETE FROM t WHERE id = '{{ a }}'\"", "SQL (psql)", false),
        ] as [(String, String?, Bool)])
    func programsThatParseValuesAsCodeAreNamed(_ command: String, _ program: String?, _ shell: Bool) throws {
        let slot = try #require(try slots(command).first)
        #expect(slot.reparsedBy == program, "\(command)")
        if program != nil { #expect(slot.reparsedAsShell == shell) }
    }
}

/// Cases a second attack found: commands the checks did not see as commands, values that
/// reach a check through $(…), and false alarms on redirections.
@Suite struct ShellScannerSecondRoundTests {
    private func slots(_ command: String) throws -> [ShellSlot] {
        try Template(parsing: ExprTest.source(command), mode: .shell).shellSlots
    }

    @Test(arguments: [
        "2>/dev/null let {{ a }}", "time -p let {{ a }}", "time -p (( {{ a }} ))", "function f (( {{ a }} ))",
        "coproc (( {{ a }} ))", "coproc c { let {{ a }}; }", "builtin declare -i n; n={{ a }}",
        "command declare -i n; n={{ a }}", "a=(x [{{ a }}]=y)", "declare -a a=([0]=x [{{ a }}]=y)",
        "[[ $(echo {{ a }}) -eq 1 ]]", "let \"n=$(printf %s {{ a }})\"", "a[$(printf %s {{ a }})]=1",
        "OPTIND={{ a }}", "export OPTIND={{ a }}", "RANDOM={{ a }}",
        "a=$(cat <<EOF\nhi\nEOF)\nlet {{ a }}\nEOF",
    ])
    func arithmeticBehindRedirectionsKeywordsAndSubstitutionsNeedsANumber(_ command: String) throws {
        #expect(try slots(command).first?.needsNumber == true, "\(command)")
    }

    @Test(arguments: [
        ">/dev/null 2>&1 read {{ a }} <<< hi", "2>/dev/null test -v {{ a }}", "function f { read {{ a }} <<< hi; }",
        "coproc { read {{ a }} <<< hi; }", "printf -v{{ a }} %s hi", "printf -v\"{{ a }}\" %s hi",
        "declare -n r; r={{ a }}", "test -v \"$(printf %s {{ a }})\"",
    ])
    func variableNamesBehindRedirectionsKeywordsAndSubstitutionsAreRefused(_ command: String) throws {
        #expect(try slots(command).first?.usedAsName == true, "\(command)")
    }

    @Test(
        arguments: [
            ("2>/dev/null eval \"echo {{ a }}\"", "eval"), ("eval \"$(printf %s {{ a }})\"", "eval"),
            ("sh -c \"$(echo {{ a }})\"", "sh -c"), ("sh <<< \"echo {{ a }}\"", "sh"),
            ("bash -s <<< \"{{ a }}\"", "bash"), ("source <(printf %s {{ a }})", "source"), (". <(echo {{ a }})", "."),
            ("bash <(echo {{ a }})", "bash"), ("sh < <(echo {{ a }})", "sh"), ("echo {{ a }} |& sh", "sh"),
            ("echo {{ a }} | (sh)", "sh"), ("echo {{ a }} | tee /dev/null | sh", "sh"),
            ("script -qc \"echo {{ a }}\" /dev/null", "script -c"), ("perl -ne \"print '{{ a }}'\"", "perl"),
            ("python3 -Bc \"print('{{ a }}')\"", "python"), ("tmux new -d \"echo {{ a }}\"", "tmux"),
            ("PS4={{ a }}; set -x; :", "PS4"), ("BASH_ENV={{ a }} bash -c :", "BASH_ENV"),
            ("export BASH_ENV={{ a }}", "BASH_ENV"), ("alias q={{ a }}", "alias"),
        ] as [(String, String)])
    func programsThatRunTheValueAreNamed(_ command: String, _ program: String) throws {
        #expect(try slots(command).first?.reparsedBy == program, "\(command)")
    }

    @Test(arguments: [
        "read -r line < {{ a }}", "mapfile -t lines < {{ a }}", "read -r a b <<< {{ a }}",
        "ssh -o BatchMode=yes host 'uptime' > {{ a }}", "echo hi 2> {{ a }}", "cat < {{ a }}",
    ])
    func redirectionTargetsAreNotArguments(_ command: String) throws {
        let slot = try #require(try slots(command).first)
        #expect(!slot.usedAsName && !slot.needsNumber && slot.reparsedBy == nil, "\(command)")
    }
}

@Suite struct ShellScannerThirdRoundTests {
    @Test(arguments: [
        "declare -a \"arr=({{ a }})\"", "declare -a arr=\"({{ a }})\"", "local -a \"arr+=({{ a }})\"",
        "readonly -a \"arr=({{ a }})\"", "compgen -W {{ a }} x", "compgen -C \"echo {{ a }}\" x",
        "complete -W \"{{ a }}\" foo",
    ])
    func bashBuiltinsThatParseAnArgumentAgainAreNamed(_ command: String) throws {
        let slot = try #require(try Template(parsing: ExprTest.source(command), mode: .shell).shellSlots.first)
        #expect(slot.reparsedBy != nil, "\(command)")
    }

    @Test func shellNamesAreKnownWithAndWithoutTheirVersion() {
        // The byte shortcut in isShell relies on every known shell's name ending in "sh" and
        // being letters only (so a name read back from its end past a version is all there is).
        #expect(ShellCommandWords.shells.words.allSatisfy { $0.hasSuffix("sh") && $0.allSatisfy(\.isLetter) })
        for name in [
            "sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "yash", "posh", "ksh93", "bash5", "bash5.2",
            "python3.11sh", "zsh.", "ash1.2.3",
        ] where name != "python3.11sh" {
            #expect(ShellCommandWords.isShell(name), "\(name)")
        }
        for name in [
            "", "s", "h", "fish", "csh", "tcsh", "ssh", "shell", "bashx", "5", "sh-5", "bash5x", "python3",
            "systemctl", "ba sh", "python3.11sh", "ksh\u{0663}x", "s.h", "s1h", "a.sh", "ba.sh5", ".sh", "5sh",
        ] {
            #expect(!ShellCommandWords.isShell(name), "\(name)")
        }
        // Digits other than ASCII ones are a version too, as Character.isNumber reads them.
        #expect(ShellCommandWords.isShell("bash\u{0663}"))
        #expect(ShellCommandWords.isShell("ksh\u{0669}.\u{0661}"))
        #expect(!ShellCommandWords.isShell("bäsh"))
    }

    /// Commands that leave the scanner in every kind of state at their end: open quotes,
    /// substitutions, tests, arrays, heredocs, a pipe, a `for`, a `declare -i`, a `case`.
    private static let commandsEndingInEveryState = [
        "echo {{ a }}", "echo \"{{ a }}", "echo '{{ a }}", "echo $(echo {{ a }}", "echo `echo {{ a }}",
        "echo $(( {{ a }}", "echo ${X:-{{ a }}", "[[ {{ a }} -eq 1", "[[ -v {{ a }}", "arr=( [{{ a }}]=1",
        "echo {{ a }}; cat <<EOF", "cat <<'EOF'\n{{ a }}", "echo {{ a }} |", "printf %s {{ a }} | sh", "for {{ a }}",
        "declare -i n={{ a }}", "declare -n r={{ a }}", "case {{ a }} in x)", "echo {{ a }}; function",
        "{ echo {{ a }}",
        "sudo -u app sh -c {{ a }}", "x={{ a }} y", "read {{ a }}", "echo hi # {{ a }}", "echo \\\n{{ a }}",
        "eval \"$(echo {{ a }})\"", "ssh host {{ a }} <<EOF\n{{ b }}\nEOF", "let n={{ a }}; echo {{ b }}",
        "source <(echo {{ a }})", "echo {{ a }} >{{ b }} 2>&1", "echo {{ a }} >", "echo {{ a }}; (",
    ]

    @Test func aScannerReusedFromCommandToCommandFindsWhatAFreshOneFinds() throws {
        // A part of a check scans its commands in the lists of one scratch (`ParsedExpressions`);
        // nothing of one command may reach the next, whatever state the first ended in.
        // The later ones find something else when a word before them is skipped (a stale function
        // name or redirection) or when they are taken for an array's elements.
        let commands =
            Self.commandsEndingInEveryState + [
                "echo {{ b }}", "x {{ b }}", "{{ b }}", "n={{ b }}", "sh -c {{ b }}", "echo [{{ b }}]", ") {{ b }}",
            ]
        let fresh = try commands.map { try Template(parsing: ExprTest.source($0), mode: .shell).shellSlots }
        for (i, first) in commands.enumerated() {
            for (j, second) in commands.enumerated() {
                let parsed = ParsedExpressions()
                let afterFirst = try Template(parsing: ExprTest.source(first), mode: .shell, parsed: parsed).shellSlots
                let afterSecond = try Template(parsing: ExprTest.source(second), mode: .shell, parsed: parsed)
                    .shellSlots
                #expect(afterFirst == fresh[i], "\(first)")
                #expect(afterSecond == fresh[j], "\(second) after \(first)")
            }
        }
        let parsed = ParsedExpressions()
        for (i, command) in (commands + commands.reversed()).enumerated() {
            let found = try Template(parsing: ExprTest.source(command), mode: .shell, parsed: parsed).shellSlots
            #expect(found == fresh[i < commands.count ? i : 2 * commands.count - 1 - i], "\(command)")
        }
    }
}

/// The plain-command path (`ShellScanner.plainSlots`) places templates as the full scan does.
@Suite struct PlainCommandPathTests {
    /// Words programs give meaning to (shells, wrappers, interpreters, builtins and their
    /// options), reserved words, and ordinary ones; a few with characters that end the plain path.
    private static let vocabulary = [
        "sh", "bash", "-c", "-lc", "-ec", "sudo", "-u", "app", "env", "-S", "ssh", "host", "-o", "-p", "awk", "sed",
        "-e", "-f", "python3", "perl", "-E", "eval", "let", "read", "-r", "printf", "-v", "xargs", "-I", "timeout",
        "5", "watch", "-n", "su", "flock", "script", "git", "kubectl", "systemctl", "restart", "trap", "mapfile",
        "-C", "getopts", "unset", "export", "alias", "tmux", "source", ".", "compgen", "-W", "test", "echo", "for",
        "in", "do", "done", "if", "then", "declare", "-i", "-n", "local", "typeset", "case", "esac", "function",
        "coproc", "select", "until", "while", "nice", "nohup", "time", "chroot", "/usr/bin/sh", "/bin/bash",
        "busybox-awk", "sqlite3", "db", "psql", "--command", "node", "php", "-r", "ruby", "mysql", "--execute",
        "runuser", "--command=x", "stdbuf", "ionice", "setsid", "command", "builtin", "exec", "-a", "doas", "--",
        "-", "readarray", "complete", "-F", "gawk", "zsh", "ksh93", "bash5.2", "python3.11", "x", "/tmp/f", "a,b",
        "u@h:22", "50%", "+x", "-x", "readonly", "!", "}", "{", "[[", "]]", "-eq", "X=1", "a[1]", "$x", "'q'",
    ]
    private static let slots = [
        "{{ a }}", "p{{ a }}", "{{ a }}-0", "{{ a }}{{ b }}", "x{{ a }}.{{ b }}y", "${{ a }}", "'{{ a }}'", "#{{ a }}",
    ]

    @Test func placesTemplatesAsTheFullScanDoes() throws {
        var seed: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        var plain = 0
        for _ in 0..<20_000 {
            var tokens = (0..<(1 + next(6))).map { _ in Self.vocabulary[next(Self.vocabulary.count)] }
            for _ in 0..<(1 + next(2)) { tokens.insert(Self.slots[next(Self.slots.count)], at: next(tokens.count + 1)) }
            let command = tokens.joined(separator: " ")
            let template = try Template(parsing: ExprTest.source(command), mode: .shell)
            guard let found = ShellScanner.plainSlots(of: template.parts) else { continue }
            plain += 1
            #expect(found == ShellScanner.scannedSlots(of: template.parts), "\(command)")
            #expect(!template.plainPathDisagreesWithScan)
        }
        // Most of these commands are plain; the rest are scanned in full.
        #expect(plain > 5_000)
    }

    @Test func anythingButAPlainCommandIsScannedInFull() throws {
        for command in [
            "echo \"{{ a }}\"", "echo '{{ a }}'", "echo {{ a }};", "echo {{ a }} | sh", "echo $({{ a }})", "x={{ a }}",
            "arr[{{ a }}]=1", "echo {{ a }} > f", "if {{ a }}", "declare {{ a }}", "echo\t{{ a }}", "echo\n{{ a }}",
            "echo # {{ a }}", "echo \\{{ a }}", "echo ~{{ a }}", "echo *{{ a }}", "é {{ a }}", "{ {{ a }}",
            "esac {{ a }}",
        ] {
            let template = try Template(parsing: ExprTest.source(command), mode: .shell)
            #expect(ShellScanner.plainSlots(of: template.parts) == nil, "\(command.debugDescription)")
        }
        // And a plain one is taken, its templates placed as the scan places them.
        let template = try Template(parsing: ExprTest.source("sudo -u app sh -c {{ a }}"), mode: .shell)
        let slots = try #require(ShellScanner.plainSlots(of: template.parts))
        #expect(slots.map(\.reparsedBy) == ["sh -c"])
        #expect(slots == ShellScanner.scannedSlots(of: template.parts))
    }
}
