/// A job's kept lines in line order. Lines arrive in order, so keeping one is nearly always an
/// append: a dictionary by line number hashed every kept line as it was kept, looked up, and
/// merged with the tail (a tenth of a million hashes on the 10 MB pipeline).
struct KeptLines {
    private(set) var lines: [ExcerptCollector.Stored] = []

    init() {}

    var count: Int { lines.count }

    /// Where `line` is, or would go to keep the order.
    private func position(of line: Int) -> (index: Int, found: Bool) {
        if let last = lines.last, last.line < line { return (lines.count, false) }
        var low = 0, high = lines.count
        while low < high {
            let middle = (low + high) / 2
            if lines[middle].line < line { low = middle + 1 } else { high = middle }
        }
        return (low, low < lines.count && lines[low].line == line)
    }

    func contains(line: Int) -> Bool {
        position(of: line).found
    }

    /// Keeps `stored`, in place of what was kept for its line.
    mutating func keep(_ stored: ExcerptCollector.Stored) {
        let (index, found) = position(of: stored.line)
        if found {
            lines[index] = stored
        } else {
            lines.insert(stored, at: index)
        }
    }

    /// Keeps the `limit` lines with the most words (the earlier of equals), still in line order.
    mutating func keepBest(_ limit: Int) {
        let best = lines.indices.sorted { (lines[$1].words, $0) < (lines[$0].words, $1) }.prefix(limit).sorted()
        lines = best.map { lines[$0] }
    }

    /// These lines and `others` (in line order too) as one list in line order; for a line in
    /// both, this one's.
    func merged(with others: [ExcerptCollector.Stored]) -> [ExcerptCollector.Stored] {
        var result: [ExcerptCollector.Stored] = []
        result.reserveCapacity(lines.count + others.count)
        var mine = 0, theirs = 0
        while mine < lines.count || theirs < others.count {
            if theirs == others.count || (mine < lines.count && lines[mine].line <= others[theirs].line) {
                if theirs < others.count && lines[mine].line == others[theirs].line { theirs += 1 }
                result.append(lines[mine])
                mine += 1
            } else {
                result.append(others[theirs])
                theirs += 1
            }
        }
        return result
    }
}
