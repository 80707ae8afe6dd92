/// A value together with whether it was computed from a secret, so displays can mask it.
package struct Evaluated: Sendable, Hashable {
    package var value: Value
    /// True when any secret param contributed to the value.
    package var isSecret: Bool

    package init(_ value: Value, isSecret: Bool = false) {
        self.value = value
        self.isSecret = isSecret
    }
}
