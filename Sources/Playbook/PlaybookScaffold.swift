import RunbookDiagnostics
import RunbookYAML

/// The text of a new playbook (`runbook new`): a commented skeleton that validates as it is,
/// or a copy of an existing playbook under a new id.
package enum PlaybookScaffold {
    /// Whether `id` is a valid playbook id (`[a-z0-9][a-z0-9-]*`, README: Writing a playbook).
    package static func isValidID(_ id: String) -> Bool {
        PlaybookDecoder.IdentifierPattern.playbookID.matches(id)
    }

    package static let idSyntax = PlaybookDecoder.IdentifierPattern.playbookID.syntax

    /// A skeleton with every phase, a param, a guard, a confirmation and a rollback, each commented.
    package static func skeleton(id: String) -> String {
        """
        # yaml-language-server: $schema=../schemas/playbook.schema.json
        # A new playbook. docs/playbook-reference.md lists every field; examples/annotated.yaml
        # shows one with a comment on each line. Check it with `runbook validate`.
        runbook: 1
        id: \(id)
        title: Describe the incident in one line
        severity: P3                      # P1 | P2 | P3 | P4
        summary: >-
          What the on-call engineer sees, and why it has this severity.
        owners: ["#oncall"]
        escalation:
          - after: 1h
            to: Tech Lead

        params:
          service: { type: string, default: my-service, description: systemd unit to act on }

        symptoms:                         # read-only probes: is this incident happening?
          - id: service_down
            title: "{{ params.service }} is not active"
            run: systemctl is-active --quiet {{ params.service }}
            expect: exit_code != 0        # the symptom is present when the unit is not active

        diagnosis:                        # read-only; a failure is recorded and the run goes on
          - id: recent_logs
            title: Last log lines
            run: journalctl -u {{ params.service }} -n 50 --no-pager

        recovery:                         # changes the system; a failure rolls back what was done
          - id: restart
            title: Restart {{ params.service }}
            run: systemctl restart {{ params.service }}
            confirm: Restart {{ params.service }} now?
            rollback:
              run: systemctl stop {{ params.service }}

        verify:                           # read-only checks that recovery worked
          - id: active
            title: "{{ params.service }} is active"
            run: systemctl is-active --quiet {{ params.service }}
            retry: { attempts: 5, delay: 2s }

        prevention:
          - Write down what would have caught this earlier

        """
    }

    /// Whether `text` decodes as a playbook whose id is `id` (a copy made line by line is checked
    /// before it is written: an anchored or folded `id:` would not survive the edit).
    package static func declaresID(_ text: String, _ id: String) -> Bool {
        let parsed = YAML.parse(Array(text.utf8), file: "copy")
        guard let root = parsed.root, !parsed.diagnostics.hasErrors else { return false }
        var decoder = PlaybookDecoder(file: "copy")
        return decoder.decode(root)?.id.value == id && !decoder.diagnostics.hasErrors
    }

    /// `text` (a playbook's source) with its top-level `id` set to `id`, comments and layout
    /// kept; nil when the top-level `id:` line cannot be found.
    package static func copy(_ text: String, as id: String) -> String? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let k = lines.firstIndex(where: { $0.hasPrefix("id:") }) else { return nil }
        let rest = lines[k].dropFirst("id:".count)
        // Keep a trailing comment: `id: old   # note` becomes `id: new   # note`.
        let comment = rest.firstRange(of: " #").map { String(rest[$0.lowerBound...]) } ?? ""
        lines[k] = "id: \(id)" + comment
        return lines.joined(separator: "\n")
    }
}
