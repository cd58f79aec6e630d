import LogDxModel
import LogDxRules

/// What one rule found in a pipeline, before a word of prose: the rule, the values its references
/// take there, the lines that show it and the jobs involved. Explain writes the `Diagnosis` from
/// it, and the values travel on typed (`Diagnosis.bindings`), so nothing downstream has to read
/// them back out of a sentence.
public struct Finding: Sendable {
    public let rule: Rule
    /// The values of every reference the rule's title, explanation, fixes and patches use, in the
    /// order the solutions bound them; filtered references (`{{pkg.name|nearest:pypi}}`) included.
    public let values: [Template.Reference: [String]]
    /// The lines, log first then config, at most `RuleEngine.maxEvidence`.
    public let evidence: [Evidence]
    /// The first required event's line: what one-line references point at.
    public let anchor: Evidence?
    /// The jobs of the required events, in pipeline order.
    public let jobs: [String]

    package init(rule: Rule, values: [Template.Reference: [String]], evidence: [Evidence], anchor: Evidence?, jobs: [String]) {
        self.rule = rule
        self.values = values
        self.evidence = evidence
        self.anchor = anchor
        self.jobs = jobs
    }

    /// Every reference the rule's texts and patches use, each once.
    static func references(of rule: Rule) -> [Template.Reference] {
        var templates = [rule.title, rule.explanation]
        for fix in rule.fixes { templates += [fix.summary, fix.detail] }
        var seen: Set<Template.Reference> = []
        var result: [Template.Reference] = []
        for reference in templates.flatMap(\.references) + rule.fixes.flatMap({ $0.patch.flatMap(\.references) })
        where seen.insert(reference).inserted {
            result.append(reference)
        }
        return result
    }
}
