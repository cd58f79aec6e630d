import LogDxDiagnose
import LogDxExcerpt
import LogDxModel

/// One line per finding, `JOB:LINE: SEVERITY: TITLE [rule-id]` — the shape of compiler and
/// SwiftLint diagnostics, so editors' error lists, `grep` and review bots read it without a parser.
/// The place is the line the finding is about (its anchor), else its first evidence; a job no rule
/// explains is reported at its most telling line as `[unexplained]`.
public struct CompactRenderer: Renderer {
    public init() {}

    public func render(_ analysis: Analysis) -> String {
        let analysis = analysis.escapingControlCharacters()
        var out: [String] = []
        for d in analysis.diagnoses {
            let place = (d.anchor ?? d.evidence.first)?.place ?? d.jobs.first ?? "pipeline"
            out.append("\(place): \(Self.word(d.severity)): \(Self.oneLine(d.title)) [\(d.rule)]")
        }
        for excerpt in analysis.excerpts where !excerpt.explained {
            let line = Self.mostTelling(excerpt.lines)
            let place = line.map { "\(excerpt.job):\($0.line)" } ?? excerpt.job
            let severity = UnexplainedJobTitle.failed(excerpt, in: analysis.pipeline) ? "error" : "warning"
            let title = UnexplainedJobTitle.title(excerpt, job: excerpt.job, in: analysis.pipeline)
            let said = line.map { ": " + Self.oneLine($0.text.value) } ?? ""
            out.append("\(place): \(severity): \(title)\(said) [unexplained]")
        }
        return out.joined(separator: "\n") + (out.isEmpty ? "" : "\n")
    }

    /// The line one reference should point at: the first strong error line (else the strongest)
    /// that is not a CI's closing announcement (new ones first, with a baseline); else the first announcement,
    /// which names what failed (`make: *** [all] Error 2`); else the last line.
    static func mostTelling(_ lines: [Excerpt.Line]) -> Excerpt.Line? {
        let candidates = lines.contains { $0.new == true } ? lines.filter { $0.new == true } : lines
        let scorer = LineScorer()
        let scored = candidates.map { line -> (line: Excerpt.Line, score: LineScorer.Score) in
            var text = line.text.value
            return (line, text.withUTF8 { scorer.score($0) })
        }
        let telling = scored.filter { !$0.score.isFooter && $0.score.words > 0 }
        // The first strong line is usually the cause; what follows repeats or reacts to it.
        let best = telling.first { $0.score.words >= ExcerptSelector.strongLine } ?? telling.max { $0.score.words < $1.score.words }
        return best?.line ?? scored.first { $0.score.isFooter }?.line ?? candidates.last
    }

    /// The words compilers use, which editors' problem matchers expect.
    package static func word(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .info: "note"
        }
    }

    /// A finding is one line however its text was wrapped.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }
}
