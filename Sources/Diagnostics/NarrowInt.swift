/// An `Int` kept in 32 bits, for the lines, columns and offsets that every location and position
/// segment holds (a file is at most 16 MiB; see `SourceLocation`): a value past the range is
/// kept as its nearest bound, never trapped on.
@propertyWrapper
package struct NarrowInt: Sendable, Hashable {
    private var stored: Int32

    package init(wrappedValue: Int) {
        stored = Int32(clamping: wrappedValue)
    }

    package var wrappedValue: Int {
        get { Int(stored) }
        set { stored = Int32(clamping: newValue) }
    }
}
