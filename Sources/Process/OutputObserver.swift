/// Which of a child's output streams a chunk came from.
package enum OutputChannel: Sendable, Hashable {
    case stdout
    case stderr
}

/// Receives a child's output live, chunk by chunk, in the order it was read.
///
/// Called on the thread that runs the process, between reads: a slow observer slows the
/// child down (its pipe fills), it never loses output.
package protocol OutputObserver: Sendable {
    /// `bytes` is only valid during the call; copy what must outlive it.
    func output(_ bytes: UnsafeRawBufferPointer, from channel: OutputChannel)
}
