import Foundation
import LogDxModel
import LogDxRedaction

/// Chooses a job's excerpt from what the collector kept. Failures show as blocks — an error and its
/// details, a stack trace, a test report — so lines are scored (error words, repetition, newness
/// against a baseline), grouped into blocks of nearby active lines, and the blocks are ranked by
/// their weight and their closeness to the end of the job, where failures surface. The best blocks
/// fill the line budget, each from its head.
package struct ExcerptSelector {
    package var limit: Int
    /// Masked hashes of the passing run's lines, in baseline mode.
    package var baseline: Set<UInt64>?
    /// For a job that says it succeeded: only blocks holding a line with strong error words count,
    /// and with none the excerpt is empty rather than the job's last lines.
    package var strongOnly = false

    package init(limit: Int, baseline: Set<UInt64>?, strongOnly: Bool = false) {
        self.limit = limit
        self.baseline = baseline
        self.strongOnly = strongOnly
    }

    /// The word score (see `LineScorer`) of a line that alone says something went wrong: `fatal`,
    /// `panic`, `traceback`, an error with its reason.
    package static let strongLine = 5

    struct Block {
        var members: [Int]
        var score: Double
    }

    /// The chosen lines, redacted by `redactor` (each thread brings its own).
    package func select(_ lines: [ExcerptCollector.Stored], lastLine: Int, redactor: SecretRedactor) -> [Excerpt.Line] {
        let visible = lines.filter { !$0.isBlank }
        guard !visible.isEmpty else { return [] }
        let scores = lineScores(visible)
        var active = scores.map { $0 >= 2 }
        for i in visible.indices.dropFirst() where !active[i] && visible[i].isContinuation && active[i - 1]
            && visible[i].line == visible[i - 1].line + 1 {
            active[i] = true
        }
        // A failure surfaces just before the footer that announces it (`The command "…" exited with
        // 1.`, `npm ERR! code ELIFECYCLE`, `ERROR: Job failed`); what follows a footer is clean-up.
        let footerLines = visible.filter(\.isFooter).map(\.line)
        func block(_ members: [Int], _ scores: [Double], _ visible: [ExcerptCollector.Stored], _ lastLine: Int) -> Block {
            let end = visible[members.last!].line
            let anchor = footerLines.first { $0 >= end } ?? lastLine
            return self.block(members, scores, visible, anchor)
        }
        var blocks: [Block] = []
        var current: [Int] = []
        var quiet = 0
        for i in visible.indices {
            let contiguous = current.last.map { visible[i].line - visible[$0].line <= 3 } ?? true
            if !contiguous || (quiet >= 2 && !active[i]) {
                if !current.isEmpty { blocks.append(block(current, scores, visible, lastLine)) }
                current = []
                quiet = 0
            }
            if active[i] {
                // One line of lead-in: it often names what failed.
                if current.isEmpty, i > 0, visible[i - 1].line >= visible[i].line - 2, scores[i - 1] > -2 { current.append(i - 1) }
                current.append(i)
                quiet = 0
            } else if !current.isEmpty {
                current.append(i)
                quiet += 1
            }
        }
        if !current.isEmpty { blocks.append(block(current, scores, visible, lastLine)) }

        var chosen: Set<Int> = []
        let best = blocks.map(\.score).max() ?? 0
        // Weak blocks far below the best one are noise that happens to contain an error word.
        let worthy = blocks.filter { block in
            block.score >= max(4, best * 0.3)
                && (!strongOnly || block.members.contains { visible[$0].words >= Self.strongLine && !visible[$0].isFooter })
        }.sorted { $0.score > $1.score }
        let perBlock = worthy.count > 1 ? max(limit * 3 / 4, 8) : limit
        for block in worthy where chosen.count < limit {
            for member in condensed(block.members, active: active, visible: visible).prefix(min(perBlock, limit - chosen.count)) {
                chosen.insert(member)
            }
        }
        if chosen.isEmpty && !strongOnly {
            // Nothing looks like an error: the last lines are the best guess.
            chosen = Set(visible.indices.suffix(min(8, limit)))
        }
        return chosen.sorted().map { i in
            Excerpt.Line(line: visible[i].line, text: visible[i].text(redactor), new: baseline.map { !$0.contains(visible[i].hash) })
        }
    }

    /// A block without its trailing quiet lines, and with long runs of stack frames cut to their
    /// first few: the message and where it happened matter, the fortieth frame does not.
    private func condensed(_ members: [Int], active: [Bool], visible: [ExcerptCollector.Stored]) -> [Int] {
        var members = members
        while let last = members.last, !active[last] { members.removeLast() }
        var result: [Int] = []
        var frames = 0
        for member in members {
            frames = visible[member].isContinuation ? frames + 1 : 0
            if frames <= 8 { result.append(member) }
        }
        return result
    }

    private func lineScores(_ visible: [ExcerptCollector.Stored]) -> [Double] {
        var occurrences: [UInt64: Int] = [:]
        return visible.map { line in
            var score = Double(min(max(line.words, -10), 10))
            if let baseline {
                score += baseline.contains(line.hash) ? -3 : 2
            }
            occurrences[line.hash, default: 0] += 1
            if occurrences[line.hash]! > 2 { score -= 6 }
            return score
        }
    }

    private func block(_ members: [Int], _ scores: [Double], _ visible: [ExcerptCollector.Stored], _ lastLine: Int) -> Block {
        let weight = members.reduce(0.0) { $0 + max(scores[$1], 0) }
        let fromEnd = Double(lastLine - visible[members.last!].line)
        let hasFooter = members.contains { visible[$0].isFooter }
        let proximity = 12 * exp(-fromEnd / 150)
        return Block(members: members, score: min(weight, 40) + proximity + (hasFooter ? 4 : 0))
    }
}
