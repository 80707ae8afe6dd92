import RunbookPlaybook

/// The human page of `runbook show`: reads like the incident runbook's page for the scenario.
extension PlaybookDescription {
    package func page() -> String {
        var out = "\(id) — \(title)\n"
        var facts: [String] = []
        if let severity {
            facts.append("Severity: \(severity)\(Severity(rawValue: severity).map { " (\($0.name))" } ?? "")")
        }
        if !owners.isEmpty { facts.append("Owners: \(owners.joined(separator: ", "))") }
        if !tags.isEmpty { facts.append("Tags: \(tags.joined(separator: ", "))") }
        if !facts.isEmpty { out += facts.joined(separator: " · ") + "\n" }
        if let response { out += "Response: \(response.line)\n" }
        out += "File: \(file)\n"
        if let summary { out += "\n\(summary.trimmingTrailingNewlines())\n" }
        out += paramsSection()
        for phase in phases {
            out += "\n\(phase.phase.capitalizedFirst)\n"
            for (i, step) in phase.steps.enumerated() { out += step.lines(number: "\(i + 1).", indent: "  ") }
        }
        if !prevention.isEmpty {
            out += "\nPrevention\n" + prevention.map { "  - \($0)\n" }.joined()
        }
        if !escalation.isEmpty {
            out +=
                "\nEscalation\n"
                + escalation.map { e in
                    "  - " + (e.after.map { "after \($0): " } ?? "") + e.to + (e.note.map { " (\($0))" } ?? "") + "\n"
                }.joined()
        }
        out += "\nAs a picture: runbook graph \(id) (Mermaid), or runbook graph \(id) --format dot | dot -Tsvg\n"
        return out
    }

    private func paramsSection() -> String {
        guard !params.isEmpty else { return "" }
        let width = params.map(\.name.count).max() ?? 0
        var out = "\nParameters\n"
        for p in params {
            var facts = [p.type]
            if let d = p.default {
                facts.append("default \(d)")
            } else {
                facts.append(p.required ? "required" : "optional")
            }
            if let c = p.choices {
                facts.append((p.type == "list" ? "each one of " : "one of ") + c.joined(separator: "|"))
            }
            func items(_ n: Int) -> String { n == 1 ? "1 item" : "\(n) items" }
            switch (p.minItems, p.maxItems) {
            case (let min?, let max?): facts.append("\(min) to \(items(max))")
            case (let min?, nil): facts.append("at least \(items(min))")
            case (nil, let max?): facts.append("at most \(items(max))")
            case (nil, nil): break
            }
            if let env = p.env { facts.append("env \(env)") }
            if p.secret { facts.append("secret") }
            out += "  " + p.name.padding(width) + "  " + facts.joined(separator: ", ")
            out += (p.description.map { " — \($0)" } ?? "") + "\n"
        }
        return out
    }
}

extension StepDescription {
    func lines(number: String, indent: String) -> String {
        var head = "\(indent)\(number) \(id)"
        if let title { head += " — \(title)" }
        var flags: [String] = [readonly ? "read-only" : "mutating"]
        if confirm != nil { flags.append(phrase != nil ? "confirm: type '\(phrase!)'" : "confirm") }
        var out = head + "  [" + flags.joined(separator: ", ") + "]\n"
        let inner = indent + String(repeating: " ", count: number.count + 1)
        if let description { out += inner + description.trimmingTrailingNewlines().replacingNewlines(inner) + "\n" }
        if let when { out += "\(inner)when: \(when)\n" }
        out += actionLines(inner)
        if foreach != nil || on != nil {
            var fan = [foreach.map { "for each of \($0)" }, on.map { "on \($0)" }].compactMap { $0 }
            if let parallel { fan.append("\(parallel) at a time") }
            if let maxFailures { fan.append("max_failures \(maxFailures)") }
            out += "\(inner)\(fan.joined(separator: ", "))\n"
        }
        if let retry { out += "\(inner)retry: \(retry)\n" }
        if let until { out += "\(inner)until: \(until)\n" }
        if let expect { out += "\(inner)expect: \(expect)\n" }
        for r in rollback ?? [] { out += "\(inner)rollback: \(r.action == "run" ? "$ " : "")\(r.text.oneLine)\n" }
        return out
    }

    private func actionLines(_ inner: String) -> String {
        switch action {
        case "run": return "\(inner)$ \((text ?? argv?.joined(separator: " ") ?? "").oneLine)\n"
        case "manual": return "\(inner)manual: \(text?.oneLine ?? "")\n"
        case "wait": return "\(inner)wait \(text ?? "")\n"
        case "assert": return "\(inner)assert: \(text ?? "")\n"
        case "include":
            let args = (with ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            return "\(inner)include \(text ?? "")" + (args.isEmpty ? "" : " with " + args.joined(separator: ", "))
                + "\n"
        case "steps":
            return (steps ?? []).enumerated().map { $1.lines(number: "\($0 + 1).", indent: inner) }.joined()
        default:
            var out = "\(inner)choose one" + (self.default.map { " (default: \($0))" } ?? "") + ":\n"
            for (i, option) in (options ?? []).enumerated() {
                let letter = String(UnicodeScalar(UInt8(97 + i % 26)))
                out += "\(inner)  \(letter)) \(option.name)" + (option.title.map { " — \($0)" } ?? "")
                out += (option.when.map { "  (when \($0))" } ?? "") + "\n"
                out += option.steps.enumerated().map { $1.lines(number: "\($0 + 1).", indent: inner + "     ") }
                    .joined()
            }
            return out
        }
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }

    func trimmingTrailingNewlines() -> String {
        var s = self
        while s.last?.isNewline == true { s.removeLast() }
        return s
    }

    /// Multi-line text as one line for listings: the first line and a marker.
    var oneLine: String {
        let lines = trimmingTrailingNewlines().split(separator: "\n", omittingEmptySubsequences: false)
        return lines.count <= 1 ? String(lines.first ?? "") : lines[0] + " …(+\(lines.count - 1) lines)"
    }

    func replacingNewlines(_ indent: String) -> String {
        split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n" + indent)
    }
}
