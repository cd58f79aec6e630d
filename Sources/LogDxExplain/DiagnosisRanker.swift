import LogDxCorrelate
import LogDxModel
import LogDxRules

/// Puts the root cause first: folds the diagnoses a rule explains under it — those it names in
/// `supersedes`, and any lesser diagnosis about a line that is already part of its evidence — then
/// orders by severity, whether the job survived it, rule priority and where the evidence starts in
/// the pipeline.
package struct DiagnosisRanker {
    package let supersedes: [String: Set<String>]

    package init(rules: [Rule]) {
        var map: [String: Set<String>] = [:]
        for rule in rules { map[rule.id] = Set(rule.supersedes) }
        supersedes = map
    }

    package func rank(_ diagnoses: consuming [Diagnosis], pipeline: Pipeline) -> [Diagnosis] {
        var ranked = diagnoses
        markSurvived(&ranked, pipeline: pipeline)
        Self.sortByPrecedence(&ranked, pipeline)
        var folded = [Bool](repeating: false, count: ranked.count)
        // Only a diagnosis that mentions one of a cause's lines (as evidence, or as the line it is
        // about) can be explained by it: looking those up keeps ranking linear in the diagnoses.
        var mentioning: [EvidenceKey: [Int]] = [:]
        for (position, diagnosis) in ranked.enumerated() {
            var keys = Set(diagnosis.evidence.map { EvidenceKey($0) })
            if let anchor = diagnosis.anchor { keys.insert(EvidenceKey(anchor)) }
            for key in keys { mentioning[key, default: []].append(position) }
        }
        // The diagnoses sharing a line with a cause, each once: marked with the cause's index
        // rather than gathered into a set, which for a line hundreds of diagnoses mention cost
        // half of ranking a 1,000-job pipeline.
        var seenFor = [Int](repeating: -1, count: ranked.count)
        var candidates: [Int] = []
        for index in ranked.indices where !folded[index] {
            let explained = supersedes[ranked[index].rule] ?? []
            let lines = Set(ranked[index].evidence.map { EvidenceKey($0) })
            candidates.removeAll(keepingCapacity: true)
            for line in lines {
                for position in mentioning[line] ?? [] where seenFor[position] != index && position != index && !folded[position] {
                    seenFor[position] = index
                    candidates.append(position)
                }
            }
            candidates.sort()
            for position in candidates {
                guard explains(ranked[index], ranked[position], explicitly: explained, lines: lines, pipeline) else { continue }
                var symptom = ranked[position]
                let nested = symptom.symptoms
                symptom.symptoms = []
                ranked[index].symptoms.append(symptom)
                ranked[index].symptoms.append(contentsOf: nested)
                folded[position] = true
            }
        }
        return Self.mergingRepeats(ranked.indices.filter { !folded[$0] }.map { ranked[$0] })
    }

    /// How many repeats a merged finding names in its explanation; the rest are counted.
    static let repeatsNamed = 5

    /// A rule that fires several times for the same jobs (two failed jest tests of one job) is one
    /// finding: the first, in rank order, with the others' evidence and symptoms, and their titles
    /// listed under its explanation, so its fix is read once. Done after folding, so that a repeat
    /// nothing explains is never hidden under a cause that explains only another. Findings with a
    /// patch stay apart: each patch names its own values.
    package static func mergingRepeats(_ diagnoses: [Diagnosis]) -> [Diagnosis] {
        struct Key: Hashable {
            package var rule: String
            package var jobs: [String]
        }
        var result: [Diagnosis] = []
        var position: [Key: Int] = [:]
        var repeats: [Int: [Diagnosis]] = [:]
        for d in diagnoses {
            let key = Key(rule: d.rule, jobs: d.jobs)
            if let first = position[key], !d.fixes.contains(where: { $0.patch != nil }),
               !result[first].fixes.contains(where: { $0.patch != nil }) {
                repeats[first, default: []].append(d)
            } else {
                if position[key] == nil { position[key] = result.count }
                result.append(d)
            }
        }
        for (index, others) in repeats {
            var merged = result[index]
            var seen = Set(merged.evidence)
            for other in others {
                for line in other.evidence where seen.insert(line).inserted { merged.evidence.append(line) }
                merged.symptoms += other.symptoms
                for (reference, values) in other.bindings {
                    var list = merged.bindings[reference] ?? []
                    for value in values where !list.contains(value) { list.append(value) }
                    merged.bindings[reference] = list
                }
            }
            merged.evidence = Array(merged.evidence.prefix(RuleEngine.maxEvidence * 2))
            let named = others.prefix(repeatsNamed).map { "- " + $0.title }
            let more = others.count > repeatsNamed ? ["- and \(others.count - repeatsNamed) more"] : []
            merged.explanation += "\n\nThe same rule fired \(others.count) more time\(others.count == 1 ? "" : "s") for the same job\(merged.jobs.count == 1 ? "" : "s"):\n"
                + (named + more).joined(separator: "\n")
            merged.repeats = others.count
            result[index] = merged
        }
        return result
    }

    /// A named rule is explained when the two share a line; any other lesser diagnosis when the
    /// line it is about is part of this one's evidence.
    private func explains(_ cause: Diagnosis, _ candidate: Diagnosis, explicitly: Set<String>, lines: Set<EvidenceKey>, _ pipeline: Pipeline) -> Bool {
        guard candidate.rule != cause.rule else { return false }
        if explicitly.contains(candidate.rule) {
            return candidate.evidence.contains { lines.contains(EvidenceKey($0)) }
        }
        guard Self.precedes(cause, candidate, pipeline), cause.priority > candidate.priority || cause.severity < candidate.severity,
              let anchor = candidate.anchor else { return false }
        return lines.contains(EvidenceKey(anchor))
    }

    private struct EvidenceKey: Hashable {
        var job: Int
        var line: Int
        init(_ evidence: Evidence) {
            job = evidence.jobIndex
            line = evidence.line
        }
    }

    /// A failed job that printed `bc: command not found` and went on to fail on compile errors
    /// survived the first: a diagnosis of one failed job survived when another rule's diagnosis
    /// of the same job, at least as severe and not one that explains it or that it explains, is
    /// about a line well after all of its evidence. "Well after": an error's consequences follow
    /// it at once (pip's "No matching distribution" on the line after its DNS retries), work the
    /// job survived to do takes lines. Cross-job diagnoses never are: their cause is in a job
    /// that was meant to go on.
    static let survivalGap = 10

    /// Sets `survived` in place: a pipeline of 1,000 jobs has thousands of diagnoses, and a copy
    /// of each retained and released a dozen objects on the one core ranking them.
    func markSurvived(_ diagnoses: inout [Diagnosis], pipeline: Pipeline) {
        // The latest line each rule's diagnoses are about, per failed job, so each check is a
        // lookup over the few rules that fired there rather than over every diagnosis.
        // A rule has one severity, so the line is all that varies.
        var latest: [Int: [String: (line: Int, severity: Severity)]] = [:]
        for d in diagnoses {
            guard let anchor = d.anchor, d.severity != .info, Self.ofOneFailedJob(d, pipeline) else { continue }
            let line = max(anchor.line, latest[anchor.jobIndex]?[d.rule]?.line ?? anchor.line)
            latest[anchor.jobIndex, default: [:]][d.rule] = (line, d.severity)
        }
        for index in diagnoses.indices {
            let d = diagnoses[index]
            guard let anchor = d.anchor, d.severity != .info, Self.ofOneFailedJob(d, pipeline) else { continue }
            let end = d.evidence.filter { $0.origin == .log && $0.jobIndex == anchor.jobIndex }.map(\.line).max() ?? anchor.line
            let explained = supersedes[d.rule] ?? []
            diagnoses[index].survived = (latest[anchor.jobIndex] ?? [:]).contains { rule, later in
                rule != d.rule && later.line > end + Self.survivalGap && later.severity <= d.severity
                    && !explained.contains(rule) && !(supersedes[rule] ?? []).contains(d.rule)
            }
        }
    }

    /// Sorts into `precedes` order, stably: each diagnosis's keys are read once (not twice per
    /// comparison), positions are sorted, and the diagnoses are then moved into place along the
    /// permutation's cycles, never copied.
    static func sortByPrecedence(_ diagnoses: inout [Diagnosis], _ pipeline: Pipeline) {
        let keys = diagnoses.map { PrecedenceKey($0, pipeline) }
        let order = diagnoses.indices.sorted { keys[$0] < keys[$1] || (keys[$0] == keys[$1] && $0 < $1) }
        var placed = [Bool](repeating: false, count: order.count)
        for start in order.indices where !placed[start] {
            var current = start
            while true {
                placed[current] = true
                let next = order[current]
                if next == start { break }
                diagnoses.swapAt(current, next)
                current = next
            }
        }
    }

    /// The order of diagnoses: severity, whether the job survived it, rule priority, where the
    /// evidence starts in the pipeline, then the rule's id.
    private struct PrecedenceKey: Comparable {
        var severity: Int
        var survived: Bool
        var priority: Int
        var position: (order: Int, line: Int)
        var rule: String

        init(_ diagnosis: Diagnosis, _ pipeline: Pipeline) {
            severity = diagnosis.severity.rank
            survived = diagnosis.survived
            priority = diagnosis.priority
            position = diagnosis.evidence.first.map { (pipeline.jobs[$0.jobIndex].order, $0.line) } ?? (Int.max, Int.max)
            rule = diagnosis.rule
        }

        static func == (a: PrecedenceKey, b: PrecedenceKey) -> Bool {
            a.severity == b.severity && a.survived == b.survived && a.priority == b.priority && a.position == b.position && a.rule == b.rule
        }

        static func < (a: PrecedenceKey, b: PrecedenceKey) -> Bool {
            if a.severity != b.severity { return a.severity < b.severity }
            if a.survived != b.survived { return !a.survived }
            if a.priority != b.priority { return a.priority > b.priority }
            if a.position != b.position { return a.position < b.position }
            return a.rule < b.rule
        }
    }

    private static func ofOneFailedJob(_ d: Diagnosis, _ pipeline: Pipeline) -> Bool {
        guard d.jobs.count == 1, let anchor = d.anchor, pipeline.jobs.indices.contains(anchor.jobIndex) else { return false }
        return pipeline.jobs[anchor.jobIndex].status == .failed
    }

    package static func precedes(_ a: Diagnosis, _ b: Diagnosis, _ pipeline: Pipeline) -> Bool {
        PrecedenceKey(a, pipeline) < PrecedenceKey(b, pipeline)
    }
}
