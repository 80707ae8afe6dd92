/// Replaces every occurrence of secret values in text with `***`.
public struct SecretMasker: Sendable, Hashable {
    /// The mask shown instead of a secret.
    public static let mask = "***"

    /// Longest first, so a secret that contains another is masked whole.
    public let secrets: [String]

    public init(secrets: some Sequence<String>) {
        self.secrets = Set(secrets.filter { !$0.isEmpty }).sorted {
            ($0.unicodeScalars.count, $0) > ($1.unicodeScalars.count, $1)
        }
    }

    public func mask(_ text: String) -> String {
        secrets.reduce(text) { $0.replacingScalars(of: $1, with: SecretMasker.mask) }
    }
}
