import Foundation
import RunbookBasics
import Testing

/// Trees left to the exit (`Heap.released`); the heap prepared for a large input is tested
/// end to end (`LargePlaybookTests`).
@Suite struct HeapTests {
    /// Reports its end, so a test can tell whether it was freed.
    final class Tree: Sendable {
        let freed: @Sendable () -> Void
        init(freed: @escaping @Sendable () -> Void) { self.freed = freed }
        deinit { freed() }
    }

    final class Flag: @unchecked Sendable {
        var isSet = false
    }

    @Test func aReleasedTreeIsFreedUntilACommandLeavesTreesToTheExit() {
        let trees = Heap.ReleasedTrees()
        let first = Flag()
        var tree: Tree? = Tree { first.isSet = true }
        #expect(!trees.keep(&tree))
        #expect(tree != nil)
        tree = nil
        #expect(first.isSet, "not kept: freed as soon as its last owner lets go")

        trees.leaveToExit()
        let second = Flag()
        var kept: Tree? = Tree { second.isSet = true }
        #expect(trees.keep(&kept))
        #expect(kept == nil, "taken from the caller")
        #expect(!second.isSet, "kept until the process exits")
        #expect(trees.kept == 1)
        var nothing: Tree? = nil
        #expect(!trees.keep(&nothing))
        #expect(trees.kept == 1)
    }

    /// Validating a library of many large playbooks does not hold every one until the exit.
    @Test func pastItsLimitAReleasedTreeIsFreedAgain() {
        let trees = Heap.ReleasedTrees(limit: 2)
        trees.leaveToExit()
        let freed = Flag()
        for _ in 0..<2 {
            var tree: Tree? = Tree { freed.isSet = true }
            #expect(trees.keep(&tree))
        }
        var third: Tree? = Tree { freed.isSet = true }
        #expect(!trees.keep(&third))
        #expect(third != nil)
        third = nil
        #expect(freed.isSet, "the third is freed when its last owner lets go")
        #expect(trees.kept == 2)
    }
}
