/// A string from a playbook together with where each of its characters came from.
///
/// Expressions and templates are parsed from `SourceText`, so an error inside a YAML
/// scalar points at the exact line:column of the offending character.
public struct SourceText: Sendable, Hashable, CustomStringConvertible {
    public var value: String
    public var positions: ScalarPositions

    public init(_ value: String, positions: ScalarPositions) {
        self.value = value
        self.positions = positions
    }

    /// Text that sits verbatim on one line starting at `location`.
    public init(_ value: String, at location: SourceLocation) {
        self.init(value, positions: ScalarPositions(start: location))
    }

    /// Where the text starts.
    public var location: SourceLocation { positions.location(atOffset: 0) }

    /// Where the Unicode scalar at `offset` comes from.
    public func location(atOffset offset: Int) -> SourceLocation {
        positions.location(atOffset: offset)
    }

    public var description: String { value }
}
