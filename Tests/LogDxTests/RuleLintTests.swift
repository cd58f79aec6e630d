import Foundation
import Testing
@testable import LogDx
import TestSupport

@Suite struct RuleLintTests {
    func lint(_ files: [String: String]) throws -> [RuleLinter.Finding] {
        let folder = TemporaryDirectory()
        for (name, text) in files { folder.write(name, text) }
        return try RuleLinter(sources: [.folder(folder.path)], schemas: .folder(Repo.rules)).lint().findings
    }

    static let events = """
    events:
      - id: demo-missing
        kind: demo.missing
        pattern: '^missing: (?<name>\\\\S+)$'
        examples: ['missing: x']
    """

    @Test func schemaProblemsPointAtTheirLine() throws {
        let findings = try lint(["events/demo.yaml": Self.events, "demo/bad-rule.yaml": """
        id: bad-rule
        ecosystem: demo
        severity: critical
        summary: A rule with mistakes in it.
        title: '{{m.name}} missing'
        explanation: It is missing.
        fixes: [{ summary: Add it }]
        docs: [not-a-url]
        match:
          - as: m
            event: demo.missing
            collect: yes please
            wher: { name: x }
        """])
        let errors = findings.filter { $0.level == .error }.map(\.description)
        #expect(errors.contains { $0.hasSuffix("bad-rule.yaml:3: error: $.severity: must be one of 'error', 'warning', 'info'") })
        #expect(errors.contains { $0.hasSuffix("bad-rule.yaml:8: error: $.docs[0]: 'not-a-url' does not match ^https?://") })
        #expect(errors.contains { $0.hasSuffix("bad-rule.yaml:12: error: $.match[0].collect: does not match any of: true collects every match; all, or only the first or last match in pipeline order") })
        #expect(errors.contains { $0.hasSuffix("bad-rule.yaml:13: error: $.match[0].wher: unknown key 'wher' (did you mean 'where'?)") })
    }

    @Test func setLevelProblemsAndWarnings() throws {
        let findings = try lint(["events/demo.yaml": Self.events + """

          - id: demo-anything
            kind: demo.anything
            pattern: '^(?:a|b)'
            examples: [a]
        """, "demo/quiet-rule.yaml": """
        id: quiet-rule
        ecosystem: demo
        severity: warning
        summary: Refers to an event nobody defines.
        title: constant title
        explanation: x is missing.
        fixes: [{ summary: Add it }]
        match:
          - as: m
            event: demo.mising
        """])
        let text = findings.map(\.description)
        #expect(text.contains { $0.contains("error: rule 'quiet-rule': unknown event kind 'demo.mising'") })
        #expect(text.contains { $0.contains("warning: event 'demo-anything' has no literal the prefilter can use") })
    }

    @Test func theBuiltInRulesHaveNoLintErrors() throws {
        let result = try RuleLinter(sources: [.folder(Repo.rules)], schemas: .folder(Repo.rules)).lint()
        let errors = result.findings.filter { $0.level == .error }
        #expect(errors.isEmpty, "\(errors.map(\.description).joined(separator: "\n"))")
        #expect(result.files >= 9)
    }
}
