import Foundation
import Testing
@testable import LogDx
import TestSupport

/// Every rule against its fixtures, every event definition against its examples, every pipeline
/// against its expect.yaml, every firing case against its golden output (`make record` rewrites).
@Suite struct RuleFixtureTests {
    @Test func rulesPassTheirFixturesAndGoldenOutputs() {
        let record = ProcessInfo.processInfo.environment["LOGDX_RECORD"].map { !$0.isEmpty && $0 != "0" } ?? false
        let report = RuleTester(rules: Repo.builtInRules, fixtures: Repo.fixtures, record: record).run()
        #expect(report.checks > 20)
        for failure in report.failures {
            Issue.record(Comment(rawValue: failure))
        }
    }

    @Test func theTesterCatchesARuleWithoutFixtures() throws {
        let folder = TemporaryDirectory()
        folder.write("rules/events/demo.yaml", "events:\n  - id: e\n    kind: demo.e\n    pattern: '^boom$'\n    examples: [boom, bang]\n")
        folder.write("rules/demo/lonely.yaml", """
        id: lonely
        ecosystem: demo
        severity: error
        summary: x
        match: [{ as: e, event: demo.e }]
        title: boom
        explanation: boom
        fixes: [{ summary: stop }]
        """)
        folder.write("fixtures/rules/demo/lonely/quiet-calm.log", "boom\n")
        let set = try RuleSet.load(from: [folder.path + "/rules"])
        let report = RuleTester(rules: set, fixtures: folder.path + "/fixtures").run()
        #expect(report.failures.contains { $0.contains("does not match its example 'bang'") })
        #expect(report.failures.contains { $0.contains("rule lonely must not fire on this near miss") })
        #expect(report.failures.contains { $0.contains("rule lonely has no fixture that fires it") })
    }
}
