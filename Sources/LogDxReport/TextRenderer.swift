import LogDxDiagnose
import LogDxModel

/// Output for people at a terminal: the root cause first, then its evidence as `job:line`, the
/// numbered fixes, the symptoms it explains and where to read more.
public struct TextRenderer: Renderer, Sendable {
    public var color: Bool
    /// Where prose wraps; nil writes each paragraph on one line.
    public var width: Int?

    /// The width of reports written to files, CI job pages and goldens.
    public static let defaultWidth = 100

    public init(color: Bool, width: Int? = defaultWidth) {
        self.color = color
        self.width = width
    }

    private func paint(_ text: String, _ code: String) -> String {
        color ? "\u{1b}[\(code)m\(text)\u{1b}[0m" : text
    }

    public func render(_ analysis: Analysis) -> String {
        let analysis = analysis.escapingControlCharacters()
        var out: [String] = []
        out.append(header(analysis.pipeline))
        let shown = analysis.diagnoses
        let unexplained = analysis.excerpts.filter { !$0.explained }
        if shown.isEmpty && unexplained.isEmpty {
            out.append("")
            out.append("No known failure pattern found.")
        }
        let evidenceWidth = (shown.flatMap(\.evidence).map(\.place.count)
            + unexplained.flatMap { e in e.lines.map { "\(e.job):\($0.line)".count } }).max() ?? 0
        // A failure nobody explains matters more than a note, so it comes before the notes.
        // A rule that fires for several tests or files of a job says how to fix it once.
        var items: [Item] = []
        var advised: Set<String> = []
        for diagnosis in shown where diagnosis.severity != .info {
            items.append(.diagnosis(diagnosis, adviceGiven: advised.contains(diagnosis.rule)))
            advised.insert(diagnosis.rule)
        }
        items += unexplained.map { .excerpt($0) }
        for diagnosis in shown where diagnosis.severity == .info {
            items.append(.diagnosis(diagnosis, adviceGiven: advised.contains(diagnosis.rule)))
            advised.insert(diagnosis.rule)
        }
        // Blocks are independent once each knows whether its advice was given: a pipeline of
        // forty jobs has a hundred, 10 ms of wrapping prose on one core.
        let pipeline = analysis.pipeline, hasBaseline = analysis.hasBaseline
        let render = { @Sendable (item: Item) -> [String] in
            switch item {
            case .diagnosis(let diagnosis, let adviceGiven):
                return block(diagnosis, evidenceWidth: evidenceWidth, adviceGiven: adviceGiven)
            case .excerpt(let excerpt):
                return block(excerpt, pipeline: pipeline, baseline: hasBaseline, evidenceWidth: evidenceWidth)
            }
        }
        for lines in items.count >= Self.concurrentBlocks ? items.concurrentMap(render) : items.map(render) {
            out.append("")
            out.append(contentsOf: lines)
        }
        if !analysis.pipeline.notices.isEmpty {
            out.append("")
            out.append(paint("Notes on the input", "1"))
            for notice in analysis.pipeline.notices {
                let place = notice.line.map { "\(notice.source):\($0)" } ?? notice.source
                out.append("  \(place): \(notice.message)")
            }
        }
        out.append("")
        out.append(summary(shown, unexplainedFailures: UnexplainedJobTitle.unexplainedFailures(analysis)))
        return out.joined(separator: "\n") + "\n"
    }

    /// One block of the report, in order.
    private enum Item: Sendable {
        case diagnosis(Diagnosis, adviceGiven: Bool)
        case excerpt(Excerpt)
    }

    /// Blocks past which they are written on all cores.
    static let concurrentBlocks = 32

    private func header(_ pipeline: Pipeline) -> String {
        let format = pipeline.format?.rawValue ?? "mixed"
        let jobs = pipeline.jobsInOrder.map { job -> String in
            var status = job.status.rawValue
            if job.status == .failed, let code = job.exitCode { status += ", exit \(code)" }
            let mark = paint(job.displayName, job.status == .failed ? "1;31" : job.status == .success ? "32" : "33")
            return "\(mark) (\(status))"
        }
        return "logdx: \(format) pipeline, \(pipeline.jobs.count) job\(pipeline.jobs.count == 1 ? "" : "s"): " + jobs.joined(separator: ", ")
    }

    private func label(_ severity: Severity) -> String {
        switch severity {
        case .error: paint("ERROR", "1;31")
        case .warning: paint("WARNING", "1;33")
        case .info: paint("NOTE", "1;36")
        }
    }

    private func block(_ d: Diagnosis, evidenceWidth: Int, adviceGiven: Bool) -> [String] {
        var out: [String] = []
        out.append("\(label(d.severity))  \(paint(d.title, "1"))")
        let jobs = d.jobs.count == 1 ? UnexplainedJobTitle.named(d.jobs[0]) : "jobs " + d.jobs.joined(separator: ", ")
        out.append(paint("  rule \(d.rule) · \(jobs)", "2"))
        out.append("")
        out.append(TextWrapper.wrap(d.explanation, width: width ?? .max, indent: "  "))
        if !d.evidence.isEmpty {
            out.append("")
            out.append("  " + paint("Evidence", "1"))
            let (shown, hidden) = Self.evidenceToShow(d.evidence)
            for e in shown {
                let place = e.place.padding(toLength: evidenceWidth)
                let lines = e.text.value.split(separator: "\n", omittingEmptySubsequences: false)
                out.append("    \(paint(place, "36"))  \(lines.first.map(String.init) ?? "")")
                for more in lines.dropFirst() {
                    out.append("    \(String(repeating: " ", count: evidenceWidth))  \(more)")
                }
            }
            if hidden > 0 {
                out.append(paint("    … and \(hidden) more line\(hidden == 1 ? "" : "s") like these (all in --format json)", "2"))
            }
        }
        // Patches differ per finding (they name its values); prose advice is the rule's.
        if adviceGiven && !d.fixes.contains(where: { $0.patch != nil }) {
            out.append("")
            out.append("  " + paint("Fix", "1") + ": as for the \(d.rule) finding above")
        } else if !d.fixes.isEmpty {
            out.append("")
            out.append("  " + paint("Fix", "1"))
            for (n, fix) in d.fixes.enumerated() {
                out.append("    \(n + 1). \(paint(fix.summary, "1"))")
                if !fix.detail.isEmpty {
                    out.append(TextWrapper.wrap(fix.detail, width: width ?? .max, indent: "       "))
                }
                if let patch = fix.patch {
                    out.append("       " + paint("As a patch (git apply):", "1"))
                    for line in patch.split(separator: "\n", omittingEmptySubsequences: false).dropLast(patch.hasSuffix("\n") ? 1 : 0) {
                        let colour = line.hasPrefix("+++") || line.hasPrefix("---") ? "1" : line.hasPrefix("+") ? "32" : line.hasPrefix("-") ? "31" : line.hasPrefix("@@") ? "36" : nil
                        out.append("         " + (colour.map { paint(String(line), $0) } ?? String(line)))
                    }
                }
            }
        }
        if !d.symptoms.isEmpty {
            out.append("")
            out.append("  " + paint("Also explains", "1"))
            for s in d.symptoms {
                let at = (s.anchor ?? s.evidence.first).map { " (\($0.place))" } ?? ""
                out.append("    - \(s.title)\(at)  [\(s.rule)]")
            }
        }
        if !d.docs.isEmpty && !adviceGiven {
            out.append("")
            out.append("  " + paint("Docs", "1"))
            for link in d.docs { out.append("    \(link)") }
        }
        return out
    }

    /// The most evidence lines of one event kind a finding shows: the first few of a kind say what
    /// the rest say, and 20 compile errors would bury the lines of other kinds.
    static let evidencePerKind = 4

    /// The evidence a finding shows, in its order, and how many lines it leaves out.
    static func evidenceToShow(_ evidence: [Evidence]) -> (shown: [Evidence], hidden: Int) {
        var perKind: [String: Int] = [:]
        let shown = evidence.filter { e in
            let seen = perKind[e.event, default: 0] + 1
            perKind[e.event] = seen
            return seen <= evidencePerKind
        }
        // "1 more line" takes the place the line itself would.
        return evidence.count - shown.count == 1 ? (evidence, 0) : (shown, evidence.count - shown.count)
    }

    /// A failed job no rule explains: its most telling lines, new ones first with a baseline.
    private func block(_ excerpt: Excerpt, pipeline: Pipeline, baseline: Bool, evidenceWidth: Int) -> [String] {
        var out: [String] = []
        let job = excerpt.job
        let label = UnexplainedJobTitle.failed(excerpt, in: pipeline) ? paint("FAILED", "1;31") : paint("UNKNOWN", "1;33")
        out.append("\(label)  \(paint(UnexplainedJobTitle.title(excerpt, job: job, in: pipeline) + "; the lines that matter most:", "1"))")
        func add(_ lines: [Excerpt.Line]) {
            var previous: Int?
            for line in lines {
                if let previous, line.line > previous + 1 { out.append("    \(paint("…", "2"))") }
                let place = "\(job):\(line.line)".padding(toLength: evidenceWidth)
                out.append("    \(paint(place, "36"))  \(line.text)")
                previous = line.line
            }
        }
        if baseline {
            let new = excerpt.lines.filter { $0.new == true }
            let seen = excerpt.lines.filter { $0.new != true }
            out.append("")
            out.append("  " + paint(new.isEmpty ? "No line is new compared with the passing run" : "New compared with the passing run", "1"))
            add(new)
            if !seen.isEmpty {
                out.append("  " + paint("Also printed by the passing run", "1"))
                add(seen)
            }
        } else {
            out.append("")
            add(excerpt.lines)
        }
        return out
    }

    /// The counts of what was diagnosed; under a FAILED block "0 errors" alone would read as all
    /// clear, so failed jobs no rule explains are counted first.
    private func summary(_ diagnoses: [Diagnosis], unexplainedFailures: Int) -> String {
        let count = { (s: Severity) in diagnoses.filter { $0.severity == s }.count }
        let e = count(.error), w = count(.warning), n = count(.info)
        let counts = "\(e) error\(e == 1 ? "" : "s"), \(w) warning\(w == 1 ? "" : "s"), \(n) note\(n == 1 ? "" : "s")"
        guard unexplainedFailures > 0 else { return counts + "." }
        let jobs = unexplainedFailures == 1 ? "1 failed job" : "\(unexplainedFailures) failed jobs"
        return "\(jobs) no rule explains; \(counts) diagnosed."
    }
}

extension String {
    func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}
