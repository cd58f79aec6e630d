import Foundation

extension Array where Element: Sendable {
    /// `transform` of every element, run on all cores, in the array's order: the engine's one way
    /// of doing independent work in parallel (rule files, the files of a pipeline), so the one
    /// lock it needs is written once.
    package func concurrentMap<Mapped>(_ transform: @Sendable (Element) -> Mapped) -> [Mapped] {
        guard count > 1 else { return map(transform) }
        let slots = Slots<Mapped>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { index in
            slots.set(index, transform(self[index]))
        }
        return slots.values
    }
}

/// Results written by index from several threads.
private final class Slots<Value>: @unchecked Sendable {
    // SAFETY (for @unchecked Sendable): each index is written once, under the lock, by its own
    // iteration of concurrentPerform, and read only after all iterations have returned.
    private var storage: [Value?]
    private let lock = NSLock()

    init(count: Int) {
        storage = Array<Value?>(repeating: nil, count: count)
    }

    func set(_ index: Int, _ value: Value) {
        lock.withLock { storage[index] = value }
    }

    /// Every slot is set by then: concurrentPerform runs every index before it returns.
    var values: [Value] { lock.withLock { storage.compactMap { $0 } } }
}
