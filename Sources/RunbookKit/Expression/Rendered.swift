/// A rendered template: the text to execute or use, and the text safe to show, log and audit.
public struct Rendered: Sendable, Hashable {
    /// With real values; never print or log this when the template uses secrets.
    public var real: String
    /// With every secret-derived value masked as `***`.
    public var display: String

    public init(real: String, display: String) {
        self.real = real
        self.display = display
    }
}
