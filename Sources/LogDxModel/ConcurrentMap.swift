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

extension Array where Element: Sendable {
    /// `transform` of the array cut into `pieces` consecutive slices, the slices run on all cores,
    /// the results joined in the array's order. For work where each element is cheap but there
    /// are thousands, or where each thread needs state of its own (a scratch space) made once per
    /// slice rather than once per element.
    package func concurrentMapInPieces<Mapped>(
        _ pieces: Int = 8, _ transform: @Sendable (ArraySlice<Element>) -> [Mapped]
    ) -> [Mapped] {
        guard !isEmpty else { return [] }
        let size = (count + pieces - 1) / pieces
        let slices = stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
        return slices.concurrentMap(transform).flatMap { $0 }
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
