/// A multi-literal automaton: one pass over a line tells which of many literals occur in it,
/// whatever their number. ASCII letters match case-insensitively.
///
/// The transition table is dense (a column per byte class, see `init`), so a step is two loads
/// from small tables. Built once and shared by every tokenizer on every thread: the tables are
/// immutable, so sharing needs no copy and no lock.
public struct AhoCorasick: Sendable {
    private let tables: Tables
    public let literalCount: Int

    static let fold: [UInt8] = (0...255).map { b in
        (0x41...0x5a).contains(b) ? UInt8(b + 0x20) : UInt8(b)
    }

    /// Builds the automaton; `literals[i]` is reported as `ids[i]`, or as `i` without `ids`.
    /// Empty literals are ignored.
    ///
    /// The table has a column per byte class, not per byte: the bytes of no literal form one
    /// class (they all lead back to the start), an upper-case letter is in its lower case's. The
    /// secret redactor's 160 literals have ~40 classes: a table of ~130 kB rather than 800 kB,
    /// which the scan, one random row per byte, read mostly from beyond the L2 cache (it was a few
    /// percent of diagnosing a pipeline). The automaton is built in class space from the start:
    /// built per byte and narrowed after, the secret redactor's took 4.6 M instructions of every
    /// two-line paste, 2.4 M now. A move into a state where literals end has its sign bit set, so
    /// a step looks up no outputs.
    public init(_ literals: [[UInt8]], ids: [Int]? = nil) {
        literalCount = literals.count
        var classOf = [UInt16](repeating: 0, count: 256)
        var inLiterals = [Bool](repeating: false, count: 256)
        for literal in literals { for byte in literal { inLiterals[Int(Self.fold[Int(byte)])] = true } }
        var classCount = 1
        for byte in 0..<256 where inLiterals[byte] {
            classOf[byte] = UInt16(classCount)
            classCount += 1
        }
        for upper in 0x41...0x5a { classOf[upper] = classOf[upper + 0x20] }
        // The goto function, one flat table (state × class) rather than an array per state.
        var next = [Int32](repeating: -1, count: classCount)
        var out: [[Int32]] = [[]]
        var stateCount = 1
        for (id, literal) in literals.enumerated() where !literal.isEmpty {
            var state = 0
            for byte in literal {
                let slot = state * classCount + Int(classOf[Int(byte)])
                if next[slot] < 0 {
                    next[slot] = Int32(stateCount)
                    stateCount += 1
                    next.append(contentsOf: repeatElement(-1, count: classCount))
                    out.append([])
                }
                state = Int(next[slot])
            }
            out[state].append(Int32(ids?[id] ?? id))
        }
        // Breadth-first: complete the goto function with failure transitions.
        var fail = [Int](repeating: 0, count: stateCount)
        var queue: [Int] = []
        queue.reserveCapacity(stateCount)
        for column in 0..<classCount {
            if next[column] < 0 {
                next[column] = 0
            } else {
                fail[Int(next[column])] = 0
                queue.append(Int(next[column]))
            }
        }
        var head = 0
        next.withUnsafeMutableBufferPointer { table in
            while head < queue.count {
                let state = queue[head]
                head += 1
                out[state].append(contentsOf: out[fail[state]])
                let row = state * classCount, failRow = fail[state] * classCount
                for column in 0..<classCount {
                    let target = table[row + column]
                    if target < 0 {
                        table[row + column] = table[failRow + column]
                    } else {
                        fail[Int(target)] = Int(table[failRow + column])
                        queue.append(Int(target))
                    }
                }
            }
        }
        var starts: [Int32] = [0]
        var ids: [Int32] = []
        for list in out {
            ids.append(contentsOf: list)
            starts.append(Int32(ids.count))
        }
        let moves = next.map { target in starts[Int(target)] != starts[Int(target) + 1] ? target | Self.outputMark : target }
        tables = Tables(moves: moves, classOf: classOf, classCount: classCount, outputStart: starts, outputIDs: ids)
    }

    /// Set in a transition of the scan's table whose target state ends literals.
    private static let outputMark = Int32.min

    /// Calls `found` with the id of every literal occurring in `text` (an id may be reported more
    /// than once).
    @inline(__always)
    public func scan(_ text: UnsafeBufferPointer<UInt8>, _ found: (Int) -> Void) {
        let table = tables.moves, classOf = tables.classOf, classCount = tables.classCount
        let starts = tables.outputStart, ids = tables.outputIDs
        var state = 0
        for byte in text {
            let move = table[state &* classCount &+ Int(classOf[Int(byte)])]
            state = Int(move & Int32.max)
            if move < 0 {
                for index in Int(starts[state])..<Int(starts[state &+ 1]) { found(Int(ids[index])) }
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
        /// `classCount` moves a state, by byte class; `outputMark` set where literals end.
        let moves: UnsafeMutablePointer<Int32>
        /// Each byte's class (a column of `moves`).
        let classOf: UnsafeMutablePointer<UInt16>
        let classCount: Int
        /// The ids of the literals ending in each state (suffix links included), flattened: state
        /// `s` owns `outputIDs[outputStart[s]..<outputStart[s + 1]]`.
        let outputStart: UnsafeMutablePointer<Int32>
        let outputIDs: UnsafeMutablePointer<Int32>

        init(moves: [Int32], classOf: [UInt16], classCount: Int, outputStart: [Int32], outputIDs: [Int32]) {
            self.moves = Self.copy(moves)
            self.classOf = Self.copy(classOf)
            self.classCount = classCount
            self.outputStart = Self.copy(outputStart)
            self.outputIDs = Self.copy(outputIDs)
        }

        deinit {
            moves.deallocate()
            classOf.deallocate()
            outputStart.deallocate()
            outputIDs.deallocate()
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
