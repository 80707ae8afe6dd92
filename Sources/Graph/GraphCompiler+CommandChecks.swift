import RunbookDiagnostics
import RunbookExpression
import RunbookPlaybook

/// Checks of how a `run` command receives its values (docs/playbook-reference.md, "Templates
/// and shell safety"): the names its references use and the shell that must read them.
extension GraphCompiler {
    mutating func checkCommand(of step: Step) {
        guard case .run(let command) = step.action else { return }
        let env = step.env
        for variable in env
        where ShellCommandWords.codeVariables.contains(variable.name.value) && variable.text.value.contains("{{") {
            diagnostics.append(
                .warning(
                    "\(variable.name.value) tells the shell or the program what code to run: a value from a template can run anything",
                    at: variable.text.location,
                    hint: "write \(variable.name.value) out in the playbook instead of taking it from a template"))
        }
        for variable in env where Self.isReservedVariable(variable.name.value) {
            diagnostics.append(
                .error(
                    "env name '\(variable.name.value)' is reserved: the values of the command's templates travel in \(Template.variablePrefix)1, \(Template.variablePrefix)2, …",
                    at: variable.name.location, hint: "choose another name"))
        }
        if case .shell(let text) = command { checkShell(step.shell, runs: text) }
    }

    static func isReservedVariable(_ name: String) -> Bool {
        guard name.hasPrefix(Template.variablePrefix) else { return false }
        let number = name.dropFirst(Template.variablePrefix.count)
        return !number.isEmpty && number.allSatisfy(\.isASCII) && number.allSatisfy(\.isNumber)
    }

    /// A command with templates needs a shell that reads `"${RB_1}"` as POSIX sh does.
    private mutating func checkShell(_ shell: SourceText?, runs text: SourceText) {
        guard let shell, !shell.value.contains("{{"),
            let template = try? Template(parsing: text, mode: .shell),
            template.expressions.contains(where: { !$0.isRawCall })
        else { return }
        let words = shell.value.split(separator: " ").map(String.init)
        let program = ShellCommandWords.commandStart(words).map { ShellCommandWords.name(words[$0]) } ?? ""
        guard !ShellCommandWords.isShell(program) else { return }
        diagnostics.append(
            .error(
                "templates in a run command need a POSIX shell, and '\(shell.value)' is not one (sh, bash, dash, zsh, ksh)",
                at: shell.location,
                hint: "pass values through env: and read them in the script, e.g. env: { HOST: \"{{ params.host }}\" }")
        )
    }
}
