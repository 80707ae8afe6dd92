/// A host reached with the OpenSSH client, as an inventory describes it.
package struct RemoteHost: Sendable, Hashable {
    /// The name plans and records show; also what ssh is given when there is no `address`,
    /// so an alias of the user's `~/.ssh/config` works as it does on the command line.
    package var name: String
    package var address: String?
    package var user: String?
    package var port: Int?
    /// `-o NAME=VALUE` options, in the order written.
    package var options: [SSHOption]
    /// `-F FILE`: an ssh_config to read instead of the user's.
    package var configFile: String?

    package init(
        name: String, address: String? = nil, user: String? = nil, port: Int? = nil, options: [SSHOption] = [],
        configFile: String? = nil
    ) {
        self.name = name
        self.address = address
        self.user = user
        self.port = port
        self.options = options
        self.configFile = configFile
    }
}

package struct SSHOption: Sendable, Hashable {
    package var name: String
    package var value: String

    package init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
