/// A unified diff of one file, as `diff -u` writes it, that `git apply` and `patch -p1` accept.
package enum UnifiedDiff {
    private enum Operation: Equatable {
        case equal(Int, Int)
        case delete(Int)
        case insert(Int)
    }

    /// Lines keep whether they end with a newline, so a change of the last line's ending is a
    /// change too.
    private struct Line: Equatable {
        var text: String
        var newline: Bool
    }

    private static func lines(_ text: String) -> [Line] {
        var pieces = EditableText.split(text)
        let endsWithNewline = pieces.last == ""
        if endsWithNewline { pieces.removeLast() }
        return pieces.enumerated().map { index, piece in
            Line(text: piece, newline: index < pieces.count - 1 || endsWithNewline)
        }
    }

    /// "" when nothing changed.
    package static func make(path: String, original: String, patched: String, context: Int = 3) -> String {
        let old = lines(original)
        let new = lines(patched)
        let operations = script(old, new)
        guard operations.contains(where: { if case .equal = $0 { return false } else { return true } }) else { return "" }

        // Hunks: runs of changes with `context` equal lines around them; runs closer than twice
        // the context share one hunk.
        let changed = operations.indices.filter { if case .equal = operations[$0] { return false } else { return true } }
        var groups: [ClosedRange<Int>] = []
        for index in changed {
            let lower = max(index - context, 0)
            let upper = min(index + context, operations.count - 1)
            if let last = groups.last, lower <= last.upperBound + 1 {
                groups[groups.count - 1] = last.lowerBound...max(upper, last.upperBound)
            } else {
                groups.append(lower...upper)
            }
        }

        var output = "--- a/\(path)\n+++ b/\(path)\n"
        for group in groups {
            var oldStart: Int?
            var newStart: Int?
            var oldCount = 0
            var newCount = 0
            var body = ""
            func emit(_ prefix: String, _ line: Line) {
                body += prefix + line.text + "\n"
                if !line.newline { body += "\\ No newline at end of file\n" }
            }
            for operation in operations[group] {
                switch operation {
                case .equal(let a, let b):
                    oldStart = oldStart ?? a
                    newStart = newStart ?? b
                    oldCount += 1
                    newCount += 1
                    emit(" ", old[a])
                case .delete(let a):
                    oldStart = oldStart ?? a
                    oldCount += 1
                    emit("-", old[a])
                case .insert(let b):
                    newStart = newStart ?? b
                    newCount += 1
                    emit("+", new[b])
                }
            }
            let (oldBefore, newBefore) = position(operations, before: group.lowerBound)
            output += "@@ -\(range(oldStart, oldCount, before: oldBefore)) +\(range(newStart, newCount, before: newBefore)) @@\n" + body
        }
        return output
    }

    /// Lines of each side before an operation, for hunks that start with only deletions or
    /// only insertions on one side.
    private static func position(_ operations: [Operation], before index: Int) -> (Int, Int) {
        var old = 0
        var new = 0
        for earlier in operations[..<index] {
            switch earlier {
            case .equal: old += 1; new += 1
            case .delete: old += 1
            case .insert: new += 1
            }
        }
        return (old, new)
    }

    /// GNU form: "start,count", ",count" left out for one line, and an empty side named by the
    /// line before it.
    private static func range(_ start: Int?, _ count: Int, before: Int) -> String {
        if count == 0 { return "\(before),0" }
        let first = (start ?? before) + 1
        return count == 1 ? "\(first)" : "\(first),\(count)"
    }

    /// Shortest edit script by longest common subsequence, on what remains after the common
    /// start and end (config edits touch a few lines, so that part stays small).
    private static func script(_ old: [Line], _ new: [Line]) -> [Operation] {
        var prefix = 0
        while prefix < old.count, prefix < new.count, old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < old.count - prefix, suffix < new.count - prefix,
              old[old.count - 1 - suffix] == new[new.count - 1 - suffix] { suffix += 1 }
        let oldMiddle = Array(old[prefix..<(old.count - suffix)])
        let newMiddle = Array(new[prefix..<(new.count - suffix)])

        var operations: [Operation] = (0..<prefix).map { .equal($0, $0) }
        let n = oldMiddle.count
        let m = newMiddle.count
        if n * m > 4_000_000 {
            operations += (0..<n).map { .delete(prefix + $0) }
            operations += (0..<m).map { .insert(prefix + $0) }
        } else {
            var table = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    table[i][j] = oldMiddle[i] == newMiddle[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
                }
            }
            var i = 0
            var j = 0
            while i < n || j < m {
                if i < n, j < m, oldMiddle[i] == newMiddle[j] {
                    operations.append(.equal(prefix + i, prefix + j))
                    i += 1
                    j += 1
                } else if i < n, j == m || table[i + 1][j] >= table[i][j + 1] {
                    operations.append(.delete(prefix + i))
                    i += 1
                } else {
                    operations.append(.insert(prefix + j))
                    j += 1
                }
            }
        }
        operations += (0..<suffix).map { .equal(old.count - suffix + $0, new.count - suffix + $0) }
        return operations
    }
}
