/// Runs every rule over a pipeline's events and turns the solutions into ranked diagnoses.
public struct RuleEngine: Sendable {
    public let rules: RuleSet
    /// The most evidence lines one diagnosis shows; the rest are counted, not listed.
    public static let maxEvidence = 20

    public init(rules: RuleSet) {
        self.rules = rules
    }

    /// The event kinds the rules use; the tokenizer need not keep any other.
    public var referencedKinds: Set<String> {
        var kinds: Set<String> = [RuleMatcher.projectDirectoryKind]
        for rule in rules.rules {
            for binding in rule.match + rule.absent { kinds.formUnion(binding.kinds) }
        }
        return kinds
    }

    public func diagnose(_ pipeline: Pipeline, events: EventStore) -> [Diagnosis] {
        let matcher = RuleMatcher(pipeline: pipeline, eventsByKind: events.byKind(in: pipeline))
        var diagnoses: [Diagnosis] = []
        for rule in rules.rules {
            let solutions = matcher.solutions(of: rule)
            guard !solutions.isEmpty else { continue }
            for group in Self.group(solutions, by: rule, pipeline: pipeline) {
                diagnoses.append(Self.diagnosis(rule, group, pipeline: pipeline))
            }
        }
        return DiagnosisRanker(rules: rules.rules).rank(diagnoses, pipeline: pipeline)
    }

    /// Solutions that agree on the rule's `group_by` references become one diagnosis; without
    /// `group_by`, solutions sharing the same required events do.
    static func group(_ solutions: [RuleMatcher.Assignment], by rule: Rule, pipeline: Pipeline) -> [[RuleMatcher.Assignment]] {
        var order: [String] = []
        var groups: [String: [RuleMatcher.Assignment]] = [:]
        for solution in solutions {
            let key: String
            if rule.groupBy.isEmpty {
                key = rule.match.filter { !$0.collect }.map { binding in
                    solution[binding.name]!.map { "\($0.job):\($0.line):\($0.fields.sorted { $0.key < $1.key })" }.joined()
                }.joined(separator: "|")
            } else {
                key = rule.groupBy.map { RuleMatcher.values(of: $0, in: [solution], pipeline: pipeline).joined(separator: ",") }
                    .joined(separator: "|")
            }
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(solution)
        }
        return order.map { groups[$0]! }
    }

    static func diagnosis(_ rule: Rule, _ group: [RuleMatcher.Assignment], pipeline: Pipeline) -> Diagnosis {
        let render = { (template: Template) in
            template.render { RuleMatcher.values(of: $0, in: group, pipeline: pipeline) }
                .trimmingTrailingWhitespace()
        }
        var seen: Set<String> = []
        var lines: [(job: Int, line: Int, text: String, kind: String)] = []
        var jobIndices: Set<Int> = []
        // One entry per line: a line can be both a bound event and the source another inherited
        // from, and the bound event names it better.
        func add(_ job: Int, _ line: Int, _ text: String, _ kind: String, bound: Bool) {
            let key = "\(job):\(line)"
            if seen.insert(key).inserted {
                lines.append((job, line, text, kind))
            } else if bound, let index = lines.firstIndex(where: { $0.job == job && $0.line == line }) {
                lines[index].kind = kind
            }
        }
        for solution in group {
            for binding in rule.match {
                for event in solution[binding.name] ?? [] {
                    if !binding.collect { jobIndices.insert(event.job) }
                    add(event.job, event.line, event.text, event.kind, bound: true)
                    for source in event.provenance { add(event.job, source.line, source.text, source.kind, bound: false) }
                }
            }
        }
        lines.sort {
            let a = pipeline.jobs[$0.job].order, b = pipeline.jobs[$1.job].order
            return a != b ? a < b : $0.line < $1.line
        }
        func evidence(_ job: Int, _ line: Int, _ text: String, _ kind: String) -> Evidence {
            let info = pipeline.jobs[job]
            return Evidence(job: info.name, jobIndex: job, source: info.source, line: line, text: text, event: kind)
        }
        let shown = lines.prefix(maxEvidence).map { evidence($0.job, $0.line, $0.text, $0.kind) }
        let anchorEvent = rule.match.first { !$0.collect }.flatMap { group.first?[$0.name]?.first }
        let anchor = anchorEvent.map { evidence($0.job, $0.line, $0.text, $0.kind) }
        let jobs = jobIndices.sorted { pipeline.jobs[$0].order < pipeline.jobs[$1].order }.map { pipeline.jobs[$0].name }
        return Diagnosis(
            rule: rule.id, severity: rule.severity, title: render(rule.title), explanation: render(rule.explanation),
            jobs: jobs, evidence: Array(shown),
            fixes: rule.fixes.map { Fix(summary: render($0.summary), detail: render($0.detail)) },
            docs: rule.docs, priority: rule.priority, anchor: anchor)
    }
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        var s = Substring(self)
        while let last = s.last, last == " " || last == "\n" || last == "\t" { s = s.dropLast() }
        return String(s)
    }
}
