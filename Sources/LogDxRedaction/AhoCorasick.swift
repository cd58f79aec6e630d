/// A multi-literal automaton: one pass over a line tells which of many literals occur in it,
/// whatever their number. ASCII letters match case-insensitively.
///
/// The transition table is dense (256 entries a state), so a step is one load; a few thousand
/// literal bytes cost a few MiB, which rule sets stay well under. Built once and shared by every
/// tokenizer on every thread: the tables are immutable, so sharing needs no copy and no lock.
public struct AhoCorasick: Sendable {
    private let tables: Tables
    public let literalCount: Int

    static let fold: [UInt8] = (0...255).map { b in
        (0x41...0x5a).contains(b) ? UInt8(b + 0x20) : UInt8(b)
    }

    /// Builds the automaton; `literals[i]` is reported as `ids[i]`, or as `i` without `ids`.
    /// Empty literals are ignored.
    public init(_ literals: [[UInt8]], ids: [Int]? = nil) {
        literalCount = literals.count
        var next: [[Int32]] = [[Int32](repeating: -1, count: 256)]
        var out: [[Int32]] = [[]]
        for (id, literal) in literals.enumerated() where !literal.isEmpty {
            var state = 0
            for byte in literal {
                let b = Int(Self.fold[Int(byte)])
                if next[state][b] < 0 {
                    next[state][b] = Int32(next.count)
                    next.append([Int32](repeating: -1, count: 256))
                    out.append([])
                }
                state = Int(next[state][b])
            }
            out[state].append(Int32(ids?[id] ?? id))
        }
        // Breadth-first: complete the goto function with failure transitions.
        var fail = [Int](repeating: 0, count: next.count)
        var queue: [Int] = []
        for b in 0..<256 {
            if next[0][b] < 0 {
                next[0][b] = 0
            } else {
                fail[Int(next[0][b])] = 0
                queue.append(Int(next[0][b]))
            }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            out[state].append(contentsOf: out[fail[state]])
            for b in 0..<256 {
                let target = next[state][b]
                if target < 0 {
                    next[state][b] = next[fail[state]][b]
                } else {
                    fail[Int(target)] = Int(next[fail[state]][b])
                    queue.append(Int(target))
                }
            }
        }
        var starts: [Int32] = [0]
        var ids: [Int32] = []
        for list in out {
            ids.append(contentsOf: list)
            starts.append(Int32(ids.count))
        }
        tables = Tables(delta: next.flatMap { $0 }, outputStart: starts, outputIDs: ids)
    }

    /// Calls `found` with the id of every literal occurring in `text` (an id may be reported more
    /// than once).
    @inline(__always)
    public func scan(_ text: UnsafeBufferPointer<UInt8>, _ found: (Int) -> Void) {
        let table = tables.delta, starts = tables.outputStart, ids = tables.outputIDs, fold = tables.fold
        var state = 0
        for byte in text {
            state = Int(table[state &* 256 &+ Int(fold[Int(byte)])])
            let first = Int(starts[state]), last = Int(starts[state &+ 1])
            if first != last {
                for index in first..<last { found(Int(ids[index])) }
            }
        }
    }

    /// The automaton's tables in memory written once, at construction, and only read after.
    ///
    /// Raw pointers rather than arrays: threads scanning through shared arrays all retain and
    /// release the same buffers on every line, and that traffic on one cache line costs more than
    /// the scan; reading through a pointer touches no reference count.
    private final class Tables: @unchecked Sendable {
        // SAFETY (for @unchecked Sendable): the buffers are filled in init and never written
        // again; they are freed in deinit, when no scan can be running.
        let delta: UnsafeMutablePointer<Int32>
        /// The ids of the literals ending in each state (suffix links included), flattened: state
        /// `s` owns `outputIDs[outputStart[s]..<outputStart[s + 1]]`.
        let outputStart: UnsafeMutablePointer<Int32>
        let outputIDs: UnsafeMutablePointer<Int32>
        let fold: UnsafeMutablePointer<UInt8>

        init(delta: [Int32], outputStart: [Int32], outputIDs: [Int32]) {
            self.delta = Self.copy(delta)
            self.outputStart = Self.copy(outputStart)
            self.outputIDs = Self.copy(outputIDs)
            fold = Self.copy(AhoCorasick.fold)
        }

        deinit {
            delta.deallocate()
            outputStart.deallocate()
            outputIDs.deallocate()
            fold.deallocate()
        }

        private static func copy<T>(_ array: [T]) -> UnsafeMutablePointer<T> {
            // One element at least, so an empty list still gets a pointer of its own to free.
            let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(array.count, 1))
            array.withUnsafeBufferPointer { source in
                if let base = source.baseAddress { pointer.initialize(from: base, count: source.count) }
            }
            return pointer
        }
    }
}
