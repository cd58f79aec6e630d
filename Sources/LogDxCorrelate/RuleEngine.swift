import Foundation
import LogDxConfig
import LogDxIngest
import LogDxModel
import LogDxRules
import LogDxTokenize
import Synchronization

/// Runs every rule over a pipeline's events and gathers each rule's solutions into findings: the
/// values and lines they bind. Writing them up is Explain's.
public struct RuleEngine: Sendable {
    public let rules: RuleSet
    /// Whether any rule renders a filtered placeholder, so the pipeline's names are worth gathering.
    /// Known once per rule set: walking every template again for each pipeline cost a scan of
    /// small pipelines a thirtieth of its time.
    let usesFilters: Bool
    /// Kinds whose events never carry a `package` field (no definition, framing or config fact
    /// of the kind has one): the filters' package names skip them instead of looking in each of
    /// their events, most of a pipeline's.
    package let kindsWithoutPackage: Set<String>
    /// For each rule, the kinds of each binding that must find an event (those that do not
    /// collect): a rule with a binding none of whose kinds the pipeline has cannot fire. Most
    /// rules are about tools a pipeline does not use, and searching for them anyway (copying
    /// the rule, trying its first binding) was most of solving a small pipeline.
    let requiredKinds: [[[String]]]
    /// The most evidence lines one diagnosis shows.
    public static let maxEvidence = 20
    public init(rules: RuleSet) {
        self.rules = rules
        requiredKinds = rules.rules.map { rule in rule.match.filter { !$0.collect }.map(\.kinds) }
        usesFilters = rules.rules.contains { rule in
            let templates = [rule.title, rule.explanation] + rule.fixes.flatMap { [$0.summary, $0.detail] }
            return templates.contains { $0.references.contains { $0.filter != nil } }
        }
        kindsWithoutPackage = Set(rules.fieldsByKind().filter { !$0.value.contains(TemplateFilters.packageField) }.keys)
    }

    /// The event kinds the rules of `rules` use (the tokenizer need not keep any other), known
    /// before an engine is built.
    public static func referencedKinds(of rules: RuleSet) -> Set<String> {
        var kinds: Set<String> = [RuleMatcher.projectDirectoryKind]
        for rule in rules.rules {
            for binding in rule.match + rule.absent { kinds.formUnion(binding.kinds) }
        }
        return kinds
    }

    /// With `config`, its facts join the log's events (as `config.*` kinds).
    public func findings(_ pipeline: Pipeline, events: EventStore, config: CIConfig? = nil) -> [Finding] {
        var byKind = events.byKind(in: pipeline)
        if let config {
            for event in ConfigEvents.events(from: config, for: pipeline) { byKind[event.kind, default: []].append(event) }
        }
        let eventCount = byKind.values.reduce(0) { $0 + $1.count }
        return findings(pipeline, eventsByKind: byKind, lanes: eventCount >= Self.parallelSolvingEvents ? Self.cores : 1)
    }

    /// The findings with the rules dealt over `lanes` threads.
    package func findings(_ pipeline: Pipeline, eventsByKind: [String: [Event]], lanes requested: Int) -> [Finding] {
        let lanes = max(1, min(requested, rules.rules.count))
        let names = usesFilters ? TemplateFilters.packageNames(in: eventsByKind, skipping: kindsWithoutPackage, concurrently: lanes > 1) : []
        // Rules are independent joins over the same events: a pipeline with many events has them
        // solved on every core, each lane with a matcher of its own (a matcher's caches are not
        // shared) taking the next unsolved rule: rules cost too unalike for a fixed deal (every
        // n-th rule left one lane working alone for a quarter of the time). The findings come
        // back in rule order whatever the lanes.
        let facts = RuleMatcher.Facts(pipeline: pipeline, eventsByKind: eventsByKind)
        let next = Mutex(0)
        let ruleCount = rules.rules.count
        let byLane = Array(0..<lanes).concurrentMap { _ -> [(rule: Int, findings: [Finding])] in
            let matcher = RuleMatcher(facts: facts)
            var filters = TemplateFilters(sources: rules.sources)
            filters.pipelineNames = names
            var found: [(rule: Int, findings: [Finding])] = []
            while let index = next.withLock({ taken -> Int? in
                guard taken < ruleCount else { return nil }
                defer { taken += 1 }
                return taken
            }) {
                guard requiredKinds[index].allSatisfy({ kinds in kinds.contains { eventsByKind[$0]?.isEmpty == false } }) else { continue }
                let rule = rules.rules[index]
                let solutions = matcher.solutions(of: rule)
                guard !solutions.isEmpty else { continue }
                // The same for every group: a rule that fires for thousands of job pairs built
                // this set thousands of times (a tenth of a seed-shaped pipeline's diagnosis).
                let references = Finding.references(of: rule)
                found.append((index, Self.group(solutions, by: rule, pipeline: pipeline).map {
                    Self.finding(rule, $0, pipeline: pipeline, filters: filters, references: references)
                }))
            }
            return found
        }
        return byLane.joined().sorted { $0.rule < $1.rule }.flatMap(\.findings)
    }

    /// Below this many events a pipeline's rules are solved on one core: a few thousand events
    /// take milliseconds, less than waking another thread.
    package static let parallelSolvingEvents = 5_000
    private static let cores = ProcessInfo.processInfo.activeProcessorCount

    /// Solutions that agree on the rule's `group_by` references become one diagnosis; without
    /// `group_by`, solutions sharing the same required events do.
    package static func group(_ solutions: [RuleMatcher.Assignment], by rule: Rule, pipeline: Pipeline) -> [[RuleMatcher.Assignment]] {
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

    /// - Parameter references: `Finding.references(of: rule)`, when the caller has it already.
    package static func finding(
        _ rule: Rule, _ group: [RuleMatcher.Assignment], pipeline: Pipeline, filters: TemplateFilters = TemplateFilters(),
        references: [Template.Reference]? = nil
    ) -> Finding {
        // A reference's values are gathered once for the whole group, however often the title,
        // explanation and fixes use it.
        var valuesByReference: [Template.Reference: [String]] = [:]
        func values(_ reference: Template.Reference) -> [String] {
            if let known = valuesByReference[reference] { return known }
            let found = reference.filter.map { filters.apply($0, to: values(reference.unfiltered)) }
                ?? RuleMatcher.values(of: reference, in: group, pipeline: pipeline)
            valuesByReference[reference] = found
            return found
        }
        for reference in references ?? Finding.references(of: rule) { _ = values(reference) }
        /// Config lines are one line whichever job's facts they came from.
        struct LineKey: Hashable {
            package var file: String?
            package var job: Int
            package var line: Int
        }
        var positions: [LineKey: Int] = [:]
        var lines: [(job: Int, line: Int, text: Redacted, kind: String, file: String?)] = []
        var jobIndices: Set<Int> = []
        // One entry per line: a line can be both a bound event and the source another inherited
        // from, and the bound event names it better. A config line shared by several jobs (a
        // `default:` cache) is one line too.
        func add(_ job: Int, _ line: Int, _ text: Redacted, _ kind: String, file: String?, bound: Bool) {
            let key = LineKey(file: file, job: file == nil ? job : -1, line: line)
            if let position = positions[key] {
                if bound { lines[position].kind = kind }
            } else {
                positions[key] = lines.count
                lines.append((job, line, text, kind, file))
            }
        }
        for solution in group {
            for binding in rule.match {
                for event in solution[binding.name] ?? [] {
                    if !binding.collect { jobIndices.insert(event.job) }
                    add(event.job, event.line, event.text, event.kind, file: event.file, bound: true)
                    for source in event.provenance { add(event.job, source.line, source.text, source.kind, file: nil, bound: false) }
                }
            }
        }
        // The logs tell the story in pipeline order; the config lines behind it follow.
        lines.sort {
            if ($0.file == nil) != ($1.file == nil) { return $0.file == nil }
            if let a = $0.file, let b = $1.file, a != b { return a < b }
            let a = pipeline.jobs[$0.job].order, b = pipeline.jobs[$1.job].order
            return a != b && $0.file == nil ? a < b : $0.line < $1.line
        }
        func evidence(_ job: Int, _ line: Int, _ text: Redacted, _ kind: String, _ file: String?) -> Evidence {
            let info = pipeline.jobs[job]
            return Evidence(
                job: info.displayName, jobIndex: job, source: file ?? info.source, line: line, text: text, event: kind,
                origin: file == nil ? .log : .config)
        }
        let shown = lines.prefix(maxEvidence).map { evidence($0.job, $0.line, $0.text, $0.kind, $0.file) }
        let anchorEvent = rule.match.first { !$0.collect }.flatMap { group.first?[$0.name]?.first }
        let anchor = anchorEvent.map { evidence($0.job, $0.line, $0.text, $0.kind, $0.file) }
        let jobs = jobIndices.sorted { pipeline.jobs[$0].order < pipeline.jobs[$1].order }.map { pipeline.jobs[$0].displayName }
        return Finding(rule: rule, values: valuesByReference, evidence: Array(shown), anchor: anchor, jobs: jobs)
    }
}

extension String {
    package func replacingAll(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
