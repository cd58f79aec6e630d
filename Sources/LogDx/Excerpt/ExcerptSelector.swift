/// Chooses a job's excerpt from what the collector kept: scores lines by their words, their place
/// near the end and near the failure footer, the block they belong to, and — with a baseline — by
/// whether the passing run printed them too; then takes the best blocks up to a line budget.
struct ExcerptSelector {
    var limit: Int
    /// Masked hashes of the passing run's lines, in baseline mode.
    var baseline: Set<UInt64>?

    func select(_ lines: [ExcerptCollector.Stored], lastLine: Int) -> [Excerpt.Line] {
        let visible = lines.filter { !$0.text.allSatisfy { $0 == " " || $0 == "\t" } }
        guard !visible.isEmpty else { return [] }
        var scores = visible.map { Double($0.words) }
        var occurrences: [UInt64: Int] = [:]
        let firstFooter = visible.firstIndex { $0.isFooter && lastLine - $0.line < 60 }
        for (i, line) in visible.enumerated() {
            if line.isFooter { scores[i] = min(scores[i], 1) }
            let fromEnd = lastLine - line.line
            if fromEnd < 30 { scores[i] += 2 } else if fromEnd < 150 { scores[i] += 1 }
            if let footer = firstFooter, i < footer, footer - i <= 6 { scores[i] += 1.5 }
            if let baseline {
                if baseline.contains(line.hash) {
                    scores[i] = min(scores[i], 2) - 2
                } else {
                    scores[i] += 3
                }
            }
            occurrences[line.hash, default: 0] += 1
            if occurrences[line.hash]! > 2 { scores[i] -= 6 }
            // A stack frame or indented detail belongs to the error above it.
            if line.isContinuation, i > 0, visible[i - 1].line == line.line - 1, scores[i - 1] >= 3 {
                scores[i] = max(scores[i], scores[i - 1] - 1)
            }
        }
        var chosen: Set<Int> = []
        let seeds = visible.indices.filter { scores[$0] >= 3 }.sorted {
            scores[$0] != scores[$1] ? scores[$0] > scores[$1] : visible[$0].line > visible[$1].line
        }
        for seed in seeds where chosen.count < limit {
            chosen.insert(seed)
            // The line above often names what failed (the test, the command, the file).
            if seed > 0, visible[seed - 1].line >= visible[seed].line - 2, scores[seed - 1] > -2, chosen.count < limit {
                chosen.insert(seed - 1)
            }
            var next = seed + 1
            var added = 0
            while next < visible.count, added < 3, chosen.count < limit, visible[next].line <= visible[next - 1].line + 1,
                  visible[next].isContinuation || scores[next] >= 2 {
                chosen.insert(next)
                next += 1
                added += 1
            }
        }
        if chosen.isEmpty {
            // Nothing looks like an error: the last lines are the best guess.
            let tail = visible.suffix(min(8, limit))
            chosen = Set(tail.indices)
        }
        return chosen.sorted().map { i in
            Excerpt.Line(line: visible[i].line, text: visible[i].text, new: baseline.map { !$0.contains(visible[i].hash) })
        }
    }
}
