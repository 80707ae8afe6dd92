import Dispatch
import Glibc
import Testing

@testable import RunbookBasics

@Suite struct SerialBatchesTests {
    @Test func itemsAreProcessedInTheOrderAddedAndDrainWaitsForAllOfThem() {
        let seen = Locked<[Int]>([])
        let batches = SerialBatches<Int>(size: 7, processors: 2) { items in
            // Slower than the adding thread, so that drain really has something to wait for.
            usleep(200)
            seen.withLock { $0 += items }
        }
        for n in 0..<1000 { batches.add(n) }
        batches.drain()
        #expect(seen.withLock { $0 } == Array(0..<1000))
        batches.drain()
        #expect(seen.withLock { $0.count } == 1000, "a second drain processes nothing twice")
    }

    @Test func aFullBatchIsProcessedWithoutWaitingForDrain() {
        let done = DispatchSemaphore(value: 0)
        let batches = SerialBatches<Int>(size: 4, processors: 2) { items in
            #expect(items == [1, 2, 3, 4])
            done.signal()
        }
        for n in 1...4 { batches.add(n) }
        #expect(done.wait(timeout: .now() + 10) == .success, "the full batch went to the other thread")
        batches.drain()
    }

    @Test func batchesAreNeverProcessedAtOnce() {
        let inside = Locked<Int>(0)
        let most = Locked<Int>(0)
        let batches = SerialBatches<Int>(size: 2, processors: 2) { _ in
            let now = inside.withLock { count in
                count += 1
                return count
            }
            most.withLock { $0 = max($0, now) }
            usleep(50)
            inside.withLock { $0 -= 1 }
        }
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            for n in 0..<100 { batches.add(thread * 100 + n) }
        }
        batches.drain()
        #expect(most.withLock { $0 } == 1)
    }

    @Test func itemsAddedFromSeveralThreadsAreAllProcessedEachThreadsInItsOrder() {
        let seen = Locked<[Int]>([])
        let batches = SerialBatches<Int>(size: 5, processors: 2) { items in seen.withLock { $0 += items } }
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            for n in 0..<250 { batches.add(thread * 1000 + n) }
        }
        batches.drain()
        let all = seen.withLock { $0 }
        #expect(all.count == 1000)
        for thread in 0..<4 {
            #expect(all.filter { $0 / 1000 == thread } == (0..<250).map { thread * 1000 + $0 })
        }
    }

    @Test func onOneProcessorEachItemIsProcessedAtOnceByTheCaller() {
        let seen = Locked<[Int]>([])
        let batches = SerialBatches<Int>(size: 32, processors: 1) { items in seen.withLock { $0 += items } }
        batches.add(1)
        #expect(seen.withLock { $0 } == [1], "processed before add returned")
        batches.add(2)
        batches.drain()
        #expect(seen.withLock { $0 } == [1, 2])
    }
}
