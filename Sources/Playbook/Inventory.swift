import RunbookBasics
import RunbookDiagnostics
import RunbookYAML

/// The hosts a playbook's steps can run on, and groups of them (README: targets).
///
/// ```yaml
/// ssh_config: ./ssh_config      # optional: read instead of ~/.ssh/config (relative to this file)
/// hosts:
///   web-1: {address: 10.0.0.11, user: deploy, port: 22, ssh: {ConnectTimeout: 5}}
///   db-1: {}                    # no address: ssh is given the name (an alias of ssh_config)
/// groups:
///   web: [web-1, web-2]
/// ```
package struct Inventory: Sendable {
    package var file: String
    /// Hosts in the order written.
    package var hosts: [RemoteHost]
    package var groups: [String: [String]]
    package var locations: [String: SourceLocation]

    package init(file: String, hosts: [RemoteHost], groups: [String: [String]], locations: [String: SourceLocation]) {
        self.file = file
        self.hosts = hosts
        self.groups = groups
        self.locations = locations
    }

    /// The hosts a name stands for: the host of that name, or the members of that group; nil
    /// for a name that is neither.
    package func resolve(_ name: String) -> [RemoteHost]? {
        if let host = hosts.first(where: { $0.name == name }) { return [host] }
        guard let members = groups[name] else { return nil }
        return members.compactMap { member in hosts.first { $0.name == member } }
    }

    /// Every host and group name, for did-you-mean hints.
    package var names: [String] { hosts.map(\.name) + groups.keys.sorted() }

    /// What to write instead of a name that is neither a host nor a group here.
    package func hint(for unknown: String) -> String {
        Suggestion.hint(for: unknown, in: names) ?? "hosts and groups: \(names.joined(separator: ", "))"
    }

    /// ssh options runbook sets itself, and settings that would relax host key checking:
    /// an inventory may not give them.
    static let forbiddenOptions: [String: String] = [
        "batchmode": "runbook always runs ssh with BatchMode=yes: a step never waits for a password",
        "controlmaster": "runbook makes one master connection per host itself",
        "controlpath": "runbook keeps its connections in a private directory of its own",
        "controlpersist": "runbook ends its connections when the run ends",
        "stricthostkeychecking":
            "host keys are checked as your ssh configuration says; add the host's key to known_hosts (ssh-keyscan, then compare its fingerprint)",
        "userknownhostsfile":
            "set it in an ssh_config (the inventory's ssh_config:), where it is not hidden from review",
    ]
}

extension PlaybookDecoder {
    /// Reads an inventory file; every problem is a diagnostic with its position.
    package static func loadInventory(path: String) -> (inventory: Inventory?, diagnostics: [Diagnostic]) {
        load(path: path, emptyHint: "an inventory lists hosts: 'hosts: {web-1: {address: 10.0.0.11}}'") {
            $0.inventory($1, path: path)
        }
    }

    mutating func inventory(_ root: YAML.Node, path: String) -> Inventory? {
        guard
            let map = MappingReader(
                root, what: "an inventory", allowed: ["hosts", "groups", "ssh_config"], diagnostics: &diagnostics)
        else { return nil }
        let base = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let configFile = map["ssh_config"].flatMap { string($0) }.map { $0.hasPrefix("/") ? $0 : base + "/" + $0 }
        var inventory = Inventory(file: path, hosts: [], groups: [:], locations: [:])
        for pair in map["hosts"]?.mapping ?? [] {
            guard let name = hostName(pair.key) else { continue }
            guard
                let fields = MappingReader(
                    pair.value, what: "host '\(name.value)'", allowed: ["address", "user", "port", "ssh"],
                    diagnostics: &diagnostics)
            else { continue }
            var host = RemoteHost(name: name.value, configFile: configFile)
            host.address = fields["address"].flatMap { string($0) }
            host.user = fields["user"].flatMap { string($0) }
            if let node = fields["port"], let port = int(node) {
                if (1...65535).contains(port) {
                    host.port = port
                } else {
                    report("port must be 1 to 65535", at: node.start)
                }
            }
            if let node = fields["ssh"] { host.options = sshOptions(node) }
            inventory.hosts.append(host)
            inventory.locations[name.value] = name.location
        }
        if map["hosts"].map({ $0.mapping == nil && !$0.isNull }) == true {
            report("hosts must be a mapping of NAME: {address, user, port, ssh}", at: map["hosts"]!.start)
        }
        for pair in map["groups"]?.mapping ?? [] {
            guard let name = hostName(pair.key) else { continue }
            if inventory.hosts.contains(where: { $0.name == name.value }) {
                report("'\(name.value)' is a host and a group; give the group another name", at: name.location)
            }
            var members: [String] = []
            for node in list(pair.value, what: "group '\(name.value)'") {
                guard let member = hostName(node) else { continue }
                guard inventory.hosts.contains(where: { $0.name == member.value }) else {
                    report(
                        "group '\(name.value)' names '\(member.value)', which is not a host of this inventory",
                        at: member.location, hint: Suggestion.hint(for: member.value, in: inventory.hosts.map(\.name)))
                    continue
                }
                members.append(member.value)
            }
            inventory.groups[name.value] = members
            inventory.locations[name.value] = name.location
        }
        return inventory
    }

    /// Host and group names: letters, digits, `.`, `-` and `_` (what a DNS name or an ssh alias uses).
    private mutating func hostName(_ node: YAML.Node) -> Located<String>? {
        guard let value = string(node) else { return nil }
        let allowed = value.unicodeScalars.allSatisfy {
            ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9")
                || "._-".unicodeScalars.contains($0)
        }
        guard allowed, !value.isEmpty, value.first != "-" else {
            report(
                "invalid host or group name '\(value)'", at: node.start,
                hint: "names are letters, digits, '.', '-' and '_', not starting with '-'")
            return nil
        }
        return Located(value, at: node.start)
    }

    private mutating func sshOptions(_ node: YAML.Node) -> [SSHOption] {
        guard let pairs = node.mapping else {
            report("ssh must be a mapping of ssh_config options, such as {ConnectTimeout: 5}", at: node.start)
            return []
        }
        var options: [SSHOption] = []
        for pair in pairs {
            guard let name = string(pair.key), let value = pair.value.scalarValue else {
                report("an ssh option is NAME: VALUE", at: pair.key.start)
                continue
            }
            guard !name.isEmpty,
                name.unicodeScalars.allSatisfy({ ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") })
            else {
                report(
                    "invalid ssh option name '\(name)'", at: pair.key.start,
                    hint: "ssh_config(5) option names are letters")
                continue
            }
            if let why = Inventory.forbiddenOptions[name.lowercased()] {
                report("the inventory cannot set \(name)", at: pair.key.start, hint: why)
                continue
            }
            guard !value.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\0" }) else {
                report("an ssh option's value is one line", at: pair.value.start)
                continue
            }
            options.append(SSHOption(name: name, value: value))
        }
        return options
    }
}
