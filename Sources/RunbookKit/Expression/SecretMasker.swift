/// Replaces every occurrence of secret values in text with `***`.
public struct SecretMasker: Sendable, Hashable {
    /// The mask shown instead of a secret.
    public static let mask = "***"

    /// Longest first, so a secret that contains another is masked whole.
    public let secrets: [String]

    /// Secrets shorter than this are masked where they are substituted, not searched for in
    /// text: masking every `2` or `ab` would garble run ids, times and hashes, and reveal the secret.
    public static let shortestSearched = 4

    public init(secrets: some Sequence<String>) {
        self.secrets = Set(secrets.filter { $0.unicodeScalars.count >= Self.shortestSearched }).sorted {
            ($0.unicodeScalars.count, $0) > ($1.unicodeScalars.count, $1)
        }
    }

    public func mask(_ text: String) -> String {
        secrets.reduce(text) { $0.replacingScalars(of: $1, with: SecretMasker.mask) }
    }
}
