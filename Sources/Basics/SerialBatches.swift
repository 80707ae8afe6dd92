import Dispatch

/// Items handed to a thread of their own in batches and processed there one batch at a time,
/// in the order they were added.
///
/// For work whose results nobody waits for item by item but which must all be done at some
/// later point: the audit records of a plan are built, chained and written on another
/// processor while the engine plans the next steps, and the run's end waits for the last of
/// them (`drain`). Items go over a
/// batch at a time so the other thread is woken once per batch, not once per item. On one
/// processor there is nothing to gain: each item is processed at once, by the caller.
package final class SerialBatches<Item: Sendable>: @unchecked Sendable {
    private let queue = DispatchQueue(label: "runbook.serial-batches")
    private let pending = Locked<[Item]>([])
    private let size: Int
    private let inline: Bool
    private let process: @Sendable ([Item]) -> Void

    /// `process` is called with each batch of up to `size` items, never with two at once.
    package init(
        size: Int, processors: Int = Parallel.processors, process: @escaping @Sendable ([Item]) -> Void
    ) {
        precondition(size > 0, "a batch holds at least one item")
        self.size = size
        self.inline = processors < 2
        self.process = process
    }

    /// Adds an item; a full batch goes to the other thread.
    package func add(_ item: Item) {
        if inline {
            // Still one at a time: `process` may be called by several threads adding at once.
            queue.sync { process([item]) }
            return
        }
        pending.withLock { items in
            items.append(item)
            guard items.count >= size else { return }
            // Queued under the lock, so batches from threads adding at once keep their order.
            let batch = items
            items = []
            items.reserveCapacity(size)
            queue.async { [process] in process(batch) }
        }
    }

    /// Processes what is pending and returns once every item added before this call was processed.
    package func drain() {
        pending.withLock { items in
            guard !items.isEmpty else { return }
            let batch = items
            items = []
            queue.async { [process] in process(batch) }
        }
        queue.sync {}
    }
}
