/// Damerau–Levenshtein distance (optimal string alignment: a swap of two neighbours is one edit),
/// bounded so that comparing a name with thousands of candidates stays cheap: the scan stops as
/// soon as every alignment is past the bound.
public enum NameDistance {
    /// The distance between `a` and `b`, or nil when it is more than `limit`.
    public static func distance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int? {
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in distance(a, b, limit: limit) } }
    }

    /// The same on bytes in place: the candidates of a shipped list lie end to end in one buffer.
    public static func distance(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, limit: Int) -> Int? {
        if abs(a.count - b.count) > limit { return nil }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        let width = b.count + 1
        // Three rows: the one before the previous is what a transposition looks back at.
        var twoBack = [Int](repeating: 0, count: width)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: width)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, twoBack[j - 2] + 1)
                }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return nil }
            (twoBack, previous, current) = (previous, current, twoBack)
        }
        let result = previous[b.count]
        return result <= limit ? result : nil
    }

    public static func distance(_ a: String, _ b: String, limit: Int) -> Int? {
        distance(Array(a.utf8), Array(b.utf8), limit: limit)
    }

    /// How many edits a name of `length` may be away from a suggestion: short names are one edit
    /// away from many unrelated ones (`six`, `sic`, `six`), so they get none; two only from 8 on.
    public static func allowedEdits(forLength length: Int) -> Int {
        switch length {
        case ..<4: 0
        case ..<8: 1
        default: 2
        }
    }
}
