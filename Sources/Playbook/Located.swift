import RunbookDiagnostics
import RunbookExpression

/// A value decoded from a playbook together with where it was written.
///
/// Hashable only when its value is, rather than requiring it of every value: a generic
/// parameter with a protocol requirement makes the runtime look the conformance up (a scan of
/// the binary's conformance tables) the first time each `Located<X>` is made, a visible part of
/// starting a run.
package struct Located<Value: Sendable>: Sendable {
    package var value: Value
    package var location: SourceLocation

    package init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}
