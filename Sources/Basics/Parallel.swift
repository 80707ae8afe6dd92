import Dispatch
import Glibc

/// Work that splits into independent parts, spread over the machine's processors.
///
/// Used where a command has many parts to check and nothing else to do meanwhile (`validate` of
/// many files or of a long playbook). Results always come back in the order of the parts, so
/// what a user reads does not depend on which part finished first.
package enum Parallel {
    /// Lets go of `value` on another thread, which frees it while this one goes on.
    ///
    /// A parsed file or a compiled playbook of thousands of steps is a tree of many small
    /// objects, and freeing it takes milliseconds that nobody waits for: the next step (compiling,
    /// printing the findings) runs meanwhile on another processor. A process that exits first
    /// simply never frees it. On one processor there is nothing to gain, and the value is freed here.
    /// A command that exits right after its work leaves it to the exit instead (`Heap.released`).
    package static func release<Value: Sendable>(_ value: consuming Value) {
        var held: Value? = value
        if Heap.released.keep(&held) { return }
        guard processors > 1, let value = held.take() else { return }
        DispatchQueue.global(qos: .utility).async { withExtendedLifetime(value) {} }
    }

    /// Starts the threads a parallel pass will run on, ahead of it.
    ///
    /// Dispatch makes its threads when first given work, and a new thread may wait milliseconds
    /// for the scheduler to move it to an idle processor: the first pass over a large playbook's
    /// steps (decoding) was at times seen running on one processor for milliseconds. Called
    /// when a large input starts to be read, so the threads are waiting by the time its steps are.
    package static func prepare() {
        guard processors > 1 else { return }
        for _ in 1..<processors { DispatchQueue.global().async {} }
    }

    /// At most this many parts per processor: with 4, a processor could wait a whole part
    /// (a millisecond of checking a long playbook) for the last one to end.
    package static let partsPerProcessor = 16

    /// The processors online, at least 1; 1 where the process's memory is limited.
    package static let processors: Int = memoryIsLimited ? 1 : max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))

    /// True when the process runs under a limit of less than 1 GiB on its data or address space
    /// (`ulimit -d` or `-v`). There a thread may not be made (each needs a stack), and Dispatch,
    /// asked for a worker it cannot make, waits and asks again for ever: a long playbook's
    /// `validate` hung. Under such a limit the work runs on one thread, and the heap is not grown
    /// ahead (`Heap`).
    package static let memoryIsLimited: Bool = [RLIMIT_DATA, RLIMIT_AS].contains { resource in
        var limit = rlimit()
        return getrlimit(__rlimit_resource_t(resource.rawValue), &limit) == 0 && limit.rlim_cur < 1 << 30
    }

    /// `0..<count` cut into contiguous ranges of at least `minimum` indices each: one range when
    /// there is too little work to be worth a thread, otherwise up to `partsPerProcessor` per
    /// processor, so that a processor that finishes early, or was slowed by another program,
    /// takes another and the last part ends soon after the others.
    package static func ranges(_ count: Int, minimum: Int, processors: Int = Parallel.processors) -> [Part] {
        guard count > 0 else { return [] }
        let wanted = processors > 1 ? processors * partsPerProcessor : 1
        let parts = max(1, min(wanted, count / max(1, minimum)))
        let base = count / parts
        let extra = count % parts
        var ranges: [Part] = []
        ranges.reserveCapacity(parts)
        var start = 0
        for part in 0..<parts {
            let end = start + base + (part < extra ? 1 : 0)
            ranges.append(Part(start: start, end: end))
            start = end
        }
        return ranges
    }

    /// `body` applied to each of `parts`, at once where there are processors for it; the results
    /// in the order of `parts`. One part runs on the caller's thread alone.
    package static func map<Part: Sendable, Result: Sendable>(
        _ parts: [Part], _ body: @Sendable (Part) -> Result
    ) -> [Result] {
        guard parts.count > 1, processors > 1 else { return parts.map(body) }
        let results = Slots<Result>(count: parts.count)
        DispatchQueue.concurrentPerform(iterations: parts.count) { index in
            results.set(index, body(parts[index]))
        }
        return results.values
    }

    /// `transform` applied to every element, in parts of at least `minimum` elements at once;
    /// the results in the elements' order.
    package static func map<Element: Sendable, Result: Sendable>(
        each elements: [Element], minimum: Int, _ transform: @Sendable (Element) -> Result
    ) -> [Result] {
        Array(map(ranges(elements.count, minimum: minimum)) { part in elements[part.indices].map(transform) }.joined())
    }

    /// One part of `ranges`: a struct of its own rather than `Range<Int>`, whose array the
    /// runtime would first have to instantiate, searching the binary's conformances (`Int` is
    /// `Comparable`) at every start.
    package struct Part: Sendable {
        package let start: Int
        package let end: Int
        package var indices: Range<Int> { start..<end }
    }

    /// One result per part, each written by one thread only, read after all have ended.
    private final class Slots<Value>: @unchecked Sendable {
        private let storage: UnsafeMutableBufferPointer<Value?>

        init(count: Int) {
            storage = .allocate(capacity: count)
            storage.initialize(repeating: nil)
        }

        deinit {
            storage.deinitialize()
            storage.deallocate()
        }

        func set(_ index: Int, _ value: Value) { storage[index] = value }

        var values: [Value] { storage.map { $0! } }
    }
}
