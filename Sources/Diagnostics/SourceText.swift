/// A string from a playbook together with where each of its characters came from.
///
/// Expressions and templates are parsed from `SourceText`, so an error inside a YAML
/// scalar points at the exact line:column of the offending character.
package struct SourceText: Sendable, Hashable, CustomStringConvertible {
    package var value: String
    package var positions: ScalarPositions

    package init(_ value: String, positions: ScalarPositions) {
        self.value = value
        self.positions = positions
    }

    /// Text that sits verbatim on one line starting at `location`.
    package init(_ value: String, at location: SourceLocation) {
        self.init(value, positions: ScalarPositions(start: location))
    }

    /// Where the text starts.
    package var location: SourceLocation { positions.location(atOffset: 0) }

    /// Where the Unicode scalar at `offset` comes from.
    package func location(atOffset offset: Int) -> SourceLocation {
        positions.location(atOffset: offset)
    }

    package var description: String { value }
}
