/// Replaces every occurrence of secret values in text with `***`.
package struct SecretMasker: Sendable, Hashable {
    /// The mask shown instead of a secret.
    package static let mask = "***"

    /// Longest first, so a secret that contains another is masked whole.
    package let secrets: [String]

    /// Secrets shorter than this are masked where they are substituted and in captured output
    /// (SPEC: any occurrence there), but not searched for in other text: masking every `2`
    /// would garble run ids, times and hashes in records.
    package static let shortestSearched = 4

    package init(secrets: [String], shortest: Int = SecretMasker.shortestSearched) {
        // An array, not any sequence: iterating a generic sequence had the runtime search the
        // binary's conformances at every start.
        var searched: Set<String> = []
        for secret in secrets where !secret.isEmpty && secret.unicodeScalars.count >= shortest {
            searched.insert(secret)
        }
        self.secrets = searched.sorted {
            ($0.unicodeScalars.count, $0) > ($1.unicodeScalars.count, $1)
        }
    }

    /// For what a step printed: every secret, however short.
    package static func forCapturedOutput(_ secrets: [String]) -> SecretMasker {
        SecretMasker(secrets: secrets, shortest: 1)
    }

    package func mask(_ text: String) -> String {
        secrets.reduce(text) { $0.replacingScalars(of: $1, with: SecretMasker.mask) }
    }
}
