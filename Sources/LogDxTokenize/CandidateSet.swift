/// The line definitions that may match the line being tokenized: each at most once, emptied in
/// constant time for the next line, in memory of its own.
///
/// Swift arrays emptied and refilled per line (`removeAll(keepingCapacity:)`, a stamp array
/// written through the array's uniqueness check) cost more than the handful of candidates a line
/// has; a tokenizer owns one set and only ever touches it from its own thread.
final class CandidateSet {
    /// One slot per definition: equal to `stamp` when the definition is in the set.
    private let stamps: UnsafeMutablePointer<UInt32>
    private let members: UnsafeMutablePointer<Int>
    private let capacity: Int
    private var stamp: UInt32 = 1
    private(set) var count = 0

    /// A set of definition indexes below `capacity`.
    init(capacity: Int) {
        self.capacity = max(1, capacity)
        stamps = .allocate(capacity: self.capacity)
        stamps.initialize(repeating: 0, count: self.capacity)
        members = .allocate(capacity: self.capacity)
    }

    deinit {
        stamps.deallocate()
        members.deallocate()
    }

    var isEmpty: Bool { count == 0 }

    /// Empties the set: a new stamp, so no slot needs clearing (except once every 2³² lines).
    @inline(__always)
    func removeAll() {
        count = 0
        stamp &+= 1
        if stamp == 0 {
            stamps.update(repeating: 0, count: capacity)
            stamp = 1
        }
    }

    @inline(__always)
    func insert(_ index: Int) {
        guard index >= 0, index < capacity, stamps[index] != stamp else { return }
        stamps[index] = stamp
        members[count] = index
        count += 1
    }

    /// The members in increasing order: definitions run in rule-set order, whatever order the
    /// scan found them in.
    @inline(__always)
    func sorted() -> UnsafeBufferPointer<Int> {
        var buffer = UnsafeMutableBufferPointer(start: members, count: count)
        if count > 1 { buffer.sort() }
        return UnsafeBufferPointer(buffer)
    }
}
