/// A multi-literal automaton: one pass over a line tells which of many literals occur in it,
/// whatever their number. ASCII letters match case-insensitively.
///
/// The transition table is dense (256 entries a state), so a step is one load; a few thousand
/// literal bytes cost a few MiB, which rule sets stay well under.
public struct AhoCorasick: Sendable {
    private var delta: [Int32]
    /// The ids of the literals ending in each state (suffix links included), flattened: state `s`
    /// owns `outputIDs[outputStart[s]..<outputStart[s + 1]]`.
    private var outputStart: [Int32]
    private var outputIDs: [Int32]
    public let literalCount: Int

    static let fold: [UInt8] = (0...255).map { b in
        (0x41...0x5a).contains(b) ? UInt8(b + 0x20) : UInt8(b)
    }

    /// Builds the automaton; `literals[i]` is reported as id `i`. Empty literals are ignored.
    public init(_ literals: [[UInt8]]) {
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
            out[state].append(Int32(id))
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
        delta = next.flatMap { $0 }
        var starts: [Int32] = [0]
        var ids: [Int32] = []
        for list in out {
            ids.append(contentsOf: list)
            starts.append(Int32(ids.count))
        }
        outputStart = starts
        outputIDs = ids
    }

    /// The same automaton in storage of its own. Threads scanning with one shared automaton all
    /// touch the same reference counts on every line; a copy per reader keeps that traffic local.
    public func privateCopy() -> AhoCorasick {
        var copy = self
        // Array(buffer) copies in the (optimised) standard library, fast even in debug builds.
        copy.delta = delta.withUnsafeBufferPointer { Array($0) }
        copy.outputStart = outputStart.withUnsafeBufferPointer { Array($0) }
        copy.outputIDs = outputIDs.withUnsafeBufferPointer { Array($0) }
        return copy
    }

    /// Calls `found` with the id of every literal occurring in `text` (an id may be reported more
    /// than once).
    @inline(__always)
    public func scan(_ text: UnsafeBufferPointer<UInt8>, _ found: (Int) -> Void) {
        delta.withUnsafeBufferPointer { table in
            outputStart.withUnsafeBufferPointer { starts in
                outputIDs.withUnsafeBufferPointer { ids in
                    Self.fold.withUnsafeBufferPointer { fold in
                        var state = 0
                        for byte in text {
                            state = Int(table[state &* 256 &+ Int(fold[Int(byte)])])
                            let first = Int(starts[state]), last = Int(starts[state &+ 1])
                            if first != last {
                                for index in first..<last { found(Int(ids[index])) }
                            }
                        }
                    }
                }
            }
        }
    }
}
