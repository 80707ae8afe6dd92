/// A value together with whether it was computed from a secret, so displays can mask it.
public struct Evaluated: Sendable, Hashable {
    public var value: Value
    /// True when any secret param contributed to the value.
    public var isSecret: Bool

    public init(_ value: Value, isSecret: Bool = false) {
        self.value = value
        self.isSecret = isSecret
    }
}
