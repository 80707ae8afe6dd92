import RunbookBasics
import RunbookDiagnostics

extension Step {
    /// A short digest of what the step does — its action, checks, confirmation, policy and
    /// rollback, not where it is written — so a scenario recorded from a run can tell that the
    /// step has changed since (README: rehearsals).
    package var definitionDigest: String {
        String(Digest.sha256Hex(Array(definitionText.utf8)).prefix(12))
    }

    /// The step's meaning as text, one `key=value` per line; positions and comments left out.
    var definitionText: String {
        var lines = ["action=\(action.key)"]
        switch action {
        case .run(.shell(let text)): lines.append("run=\(text.value)")
        case .run(.argv(let items)): lines.append("argv=\(items.map(\.value).joined(separator: "\u{1F}"))")
        case .manual(let text): lines.append("manual=\(text.value)")
        case .wait(let duration): lines.append("wait=\(duration.value)")
        case .assert(let text): lines.append("assert=\(text.value)")
        case .choose(let choice):
            lines.append("options=\(choice.options.map(\.name.value).joined(separator: ","))")
            lines.append("default=\(choice.defaultOption?.value ?? "")")
        case .group(let steps): lines.append("steps=\(steps.compactMap(\.id?.value).joined(separator: ","))")
        case .include(let include): lines.append("include=\(include.playbook.value)")
        }
        let texts: [(String, SourceText?)] = [
            ("when", when), ("until", until), ("expect", expect), ("prompt", confirm?.prompt),
            ("phrase", confirm?.phrase), ("cwd", cwd), ("shell", shell),
        ]
        for (key, text) in texts { if let text { lines.append("\(key)=\(text.value)") } }
        if let confirm { lines.append(confirm.each ? "confirm=each" : "confirm=true") }
        if let readonly { lines.append("readonly=\(readonly.value)") }
        if let timeout { lines.append("timeout=\(timeout.value)") }
        if let retry {
            lines.append(
                "retry=\(retry.summary) backoff \(retry.backoff)" + (retry.onlyConnection ? " on connection" : ""))
        }
        if let onFailure { lines.append("on_failure=\(onFailure.value.rawValue)") }
        if detach { lines.append("detach=true") }
        if let foreach { lines.append("foreach=\(foreach.text)") }
        if let maxFailures { lines.append("max_failures=\(maxFailures.value)") }
        if let on { lines.append("on=\(on.text)") }
        for output in outputs { lines.append("output.\(output.name.value)=\(output.text.value)") }
        for variable in env { lines.append("env.\(variable.name.value)=\(variable.text.value)") }
        for action in rollback { lines.append("rollback{\(action.definitionText)}") }
        return lines.joined(separator: "\n")
    }
}
