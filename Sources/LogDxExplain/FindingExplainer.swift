import LogDxConfig
import LogDxCorrelate
import LogDxIngest
import LogDxModel
import LogDxRules

/// Writes a finding up: title, explanation and fixes from the rule's templates and the finding's
/// values, within the prose budget, and each fix's edits as a patch to the CI config when one was
/// given.
public struct FindingExplainer: Sendable {
    private let patcher: ConfigPatcher?

    public init(config: CIConfig? = nil) {
        patcher = config.map(ConfigPatcher.init)
    }

    /// Whether `text` holds `part`, compared as UTF-8 bytes: Foundation's `contains` goes through
    /// CFString (a percent of a scan of small pipelines for this check alone), and the generic
    /// `firstRange(of:)` on the UTF-8 views was slower still.
    static func mentions(_ text: String, _ part: String) -> Bool {
        var text = text, part = part
        return text.withUTF8 { haystack in
            part.withUTF8 { needle in
                guard let first = needle.first, needle.count <= haystack.count else { return needle.isEmpty }
                var start = 0
                while start + needle.count <= haystack.count {
                    if haystack[start] == first && needle.indices.allSatisfy({ haystack[start + $0] == needle[$0] }) { return true }
                    start += 1
                }
                return false
            }
        }
    }

    public func diagnosis(_ finding: Finding) -> Diagnosis {
        let rule = finding.rule
        func values(_ reference: Template.Reference) -> [String] { finding.values[reference] ?? [] }
        // Templates say "job {{x.job}}"; standard input is "the pasted log", not a job's name.
        let pasted = "job " + PipelineReader.pastedJobName
        func prose(_ template: Template, _ budget: ProseBudget = .body) -> String {
            let text = template.render { budget.shown(values($0)) }.trimmingTrailingWhitespace()
            return budget.fitted(Self.mentions(text, pasted) ? text.replacingAll(pasted, PipelineReader.pastedJobName) : text)
        }
        // Patches are not prose: every value, however many.
        func complete(_ template: Template) -> String {
            template.render(values).trimmingTrailingWhitespace()
        }
        let fixes = rule.fixes.map { fix in
            Fix(summary: prose(fix.summary, .title), detail: prose(fix.detail), patch: patch(fix.patch, complete))
        }
        var diagnosis = Diagnosis(
            rule: rule.id, severity: rule.severity, title: prose(rule.title, .title), explanation: prose(rule.explanation),
            jobs: finding.jobs, evidence: finding.evidence, fixes: fixes, docs: rule.docs, priority: rule.priority,
            anchor: finding.anchor)
        diagnosis.bindings = Self.bindings(finding)
        return diagnosis
    }

    /// The values a finding bound, by reference as the rule writes it (`missing.package`): bare
    /// bindings and filtered references are left out (the first are whole events, the second
    /// guesses), as are references that bound nothing.
    static func bindings(_ finding: Finding) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for (reference, values) in finding.values where reference.field != nil && reference.filter == nil {
            let present = values.filter { !$0.isEmpty }
            if !present.isEmpty { result[reference.path] = present }
        }
        return result
    }

    /// The fix's edits applied to the config, as a diff; nil without a config, without edits, or
    /// when an edit does not apply (a patch that does half the fix would mislead).
    private func patch(_ edits: [EditTemplate], _ render: (Template) -> String) -> String? {
        guard let patcher, !edits.isEmpty else { return nil }
        var rendered: [ConfigEdit] = []
        for edit in edits {
            // An edit for the other CI is not part of this patch, whatever its values.
            if case .onlyOn(let ci, _) = edit, ci != patcher.config.provider.rawValue { continue }
            guard let concrete = edit.render(render) else { return nil }
            rendered.append(concrete)
        }
        guard !rendered.isEmpty else { return nil }
        return patcher.patch(rendered)?.diff
    }
}
