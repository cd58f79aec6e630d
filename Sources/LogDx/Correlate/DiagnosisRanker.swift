/// Puts the root cause first: folds the diagnoses a rule explains under it — those it names in
/// `supersedes`, and any lesser diagnosis about a line that is already part of its evidence — then
/// orders by severity, rule priority and where the evidence starts in the pipeline.
struct DiagnosisRanker {
    let supersedes: [String: Set<String>]

    init(rules: [Rule]) {
        var map: [String: Set<String>] = [:]
        for rule in rules { map[rule.id] = Set(rule.supersedes) }
        supersedes = map
    }

    func rank(_ diagnoses: [Diagnosis], pipeline: Pipeline) -> [Diagnosis] {
        var remaining = diagnoses.sorted { Self.precedes($0, $1, pipeline) }
        var index = 0
        while index < remaining.count {
            let explained = supersedes[remaining[index].rule] ?? []
            let lines = Set(remaining[index].evidence.map { EvidenceKey($0) })
            var position = 0
            while position < remaining.count {
                let candidate = remaining[position]
                if position != index, explains(remaining[index], candidate, explicitly: explained, lines: lines, pipeline) {
                    var symptom = candidate
                    let nested = symptom.symptoms
                    symptom.symptoms = []
                    remaining[index].symptoms.append(symptom)
                    remaining[index].symptoms.append(contentsOf: nested)
                    remaining.remove(at: position)
                    if position < index { index -= 1 }
                } else {
                    position += 1
                }
            }
            index += 1
        }
        return remaining
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

    static func precedes(_ a: Diagnosis, _ b: Diagnosis, _ pipeline: Pipeline) -> Bool {
        if a.severity != b.severity { return a.severity < b.severity }
        if a.priority != b.priority { return a.priority > b.priority }
        let pa = a.evidence.first.map { (pipeline.jobs[$0.jobIndex].order, $0.line) } ?? (Int.max, Int.max)
        let pb = b.evidence.first.map { (pipeline.jobs[$0.jobIndex].order, $0.line) } ?? (Int.max, Int.max)
        if pa != pb { return pa < pb }
        return a.rule < b.rule
    }
}
