import Glibc

/// The process heap, prepared for a large input (README, "Performance").
///
/// Reading and checking a playbook of thousands of steps builds megabytes of small objects, and
/// the kernel hands a heap over one 4 KiB page at a time, at each page's first touch: for 2,000
/// steps some 3,000 page faults, each a trap, a zeroed page and a memory-cgroup charge — about
/// a sixth of the run's processor time. `reserve(forInputOf:)` grows glibc's main heap at once,
/// in proportion to the input, and asks the kernel to back that part with transparent huge
/// pages (`MADV_HUGEPAGE`, honoured when /sys/kernel/mm/transparent_hugepage/enabled is
/// `madvise` or `always`): one fault per 2 MiB. Nothing is touched in advance; what is never
/// used stays address space. The amount stays glibc's top pad, so the heap is never trimmed
/// below it: a command gives it back when it exits.
package enum Heap {
    /// Heap for each byte of input: `validate` of a long playbook peaks near 40 bytes per byte.
    static let bytesPerInputByte = 48
    static let smallest = 16 << 20
    static let largest = 512 << 20
    static let hugePage = 2 << 20

    /// Prepares the main heap for an input of `bytes`; only the first call in a process acts.
    /// glibc usually gives each further thread an arena of its own: a call from such a thread
    /// sets the top pad (for the main heap's next growth) and grows nothing.
    package static func reserve(forInputOf bytes: Int) {
        // Under a memory limit the pad itself could be more than is allowed (`Parallel.memoryIsLimited`).
        guard !Parallel.memoryIsLimited else { return }
        let wanted = min(max(bytes * bytesPerInputByte, smallest), largest)
        reservation.withLock { done in
            guard !done else { return }
            done = true
            grow(by: (wanted + hugePage - 1) / hugePage * hugePage)
        }
    }

    private static let reservation = Locked(false)

    /// The trees let go of whole (`Parallel.release`) in this process.
    package static let released = ReleasedTrees()

    /// What `Parallel.release` lets go of: freed, or, once a command that exits as soon as its
    /// findings are printed (`validate`) asks for it, left for the exit to reclaim, as a
    /// compiler's driver does. Freeing a tree of a large playbook object by object took a
    /// processor from compiling and checking, and contended with them for the allocator's lock.
    package final class ReleasedTrees: Sendable {
        private let state = Locked<(leavesToExit: Bool, kept: [any Sendable])>((false, []))
        /// At most this many are kept (two per large playbook: its YAML tree and its checked
        /// graph); later ones are freed as before, so that validating a library of many large
        /// playbooks holds no more than two of them (20 files of 2,000 steps at the peak: 200 MiB
        /// when all were kept, 38 MiB when none were, 53 MiB with two).
        package let limit: Int

        package init(limit: Int = 4) {
            self.limit = limit
        }

        /// From now on, what is released is kept until the process exits.
        package func leaveToExit() {
            state.withLock { $0.leavesToExit = true }
        }

        /// Takes `value` to keep when the trees are left to the exit; false (and `value`
        /// untouched) otherwise.
        package func keep<Value: Sendable>(_ value: inout Value?) -> Bool {
            state.withLock { state in
                guard state.leavesToExit, state.kept.count < limit, let held = value.take() else { return false }
                state.kept.append(held)
                return true
            }
        }

        /// How many values are kept.
        package var kept: Int { state.withLock { $0.kept.count } }
    }

    /// `mallopt` is declared in <malloc.h>, which Swift's Glibc module does not import.
    private typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    private static let topPad: Int32 = -2  // M_TOP_PAD

    private static func grow(by amount: Int) {
        guard let symbol = dlsym(nil, "mallopt"), amount <= Int(Int32.max) else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        guard mallopt(topPad, Int32(amount)) == 1 else { return }
        // The new part's huge pages start close to where it does: the break is first moved to
        // just below a huge page's boundary, and glibc, finding it moved by someone else, starts
        // the heap's new top there (its old top is freed for reuse). What lies between is never
        // touched. Without this, the new part's first megabyte or so (a random share of a huge
        // page) was faulted in 4 KiB at a time. glibc writes the headers of the blocks below
        // before the advice is given, so they stay below the boundary (a page written before
        // then would keep its huge page from being made).
        let page = UInt(hugePage)
        let below = UInt(128 << 10)
        let unaligned = UInt(bitPattern: sbrk(0))
        let start = (unaligned + below + page - 1) & ~(page - 1)
        if start - below > unaligned, sbrk(Int(start - below - unaligned)) == UnsafeMutableRawPointer(bitPattern: -1) {
            return
        }
        // The next time the heap's top is used up, glibc grows it by the pad; small blocks are
        // taken (below the size glibc maps on its own) until that happens, then given back.
        let before = UInt(bitPattern: sbrk(0))
        var blocks: [UnsafeMutableRawPointer] = []
        defer { for block in blocks { free(block) } }
        while blocks.count < 32, UInt(bitPattern: sbrk(0)) == before, let block = malloc(64 << 10) {
            blocks.append(block)
        }
        let after = UInt(bitPattern: sbrk(0))
        // Whole huge pages of the new part only.
        let end = after & ~(page - 1)
        guard end > start, let address = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(address, Int(end - start), MADV_HUGEPAGE)
    }
}
