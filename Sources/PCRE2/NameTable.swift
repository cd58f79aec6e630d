/// A compiled pattern's group numbers by name, which a match keeps to answer `range(named:)`.
///
/// Its own object rather than the pattern: a match used to hold its pattern, and retaining it
/// wrote to the cache line that every thread's next match of that pattern reads (the compiled
/// code's pointer and JIT state), so two cores tokenizing at once kept taking the line from each
/// other. Nothing on the matching path reads this object.
final class NameTable: Sendable {
    /// Group numbers of each name; several when `(?J)` lets alternatives share a name.
    let indices: [String: [Int]]

    init(_ indices: [String: [Int]]) {
        self.indices = indices
    }
}
