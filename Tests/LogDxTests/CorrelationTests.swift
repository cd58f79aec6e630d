import Foundation
import Testing
@testable import LogDx
import TestSupport

/// The rule language's semantics, on a small rule set and hand-written plain logs.
@Suite struct CorrelationTests {
    static let events = """
    events:
      - id: made
        kind: demo.made
        pattern: '^made (?<name>\\S+) in (?<path>\\S+)$'
        examples: ['made app in /out']
      - id: needed
        kind: demo.needed
        pattern: '^need (?<name>\\S+)$'
        examples: ['need app']
      - id: kept
        kind: demo.kept
        pattern: '^kept (?<path>\\S+)$'
        examples: ['kept dist']
    """

    func diagnoses(rules: [String: String], logs: [String: String]) throws -> [Diagnosis] {
        let folder = TemporaryDirectory()
        folder.write("rules/events/demo.yaml", Self.events)
        for (name, text) in rules { folder.write("rules/\(name).yaml", text) }
        var files: [String] = []
        for (name, text) in logs.sorted(by: { $0.key < $1.key }) { files.append(folder.write("logs/\(name).log", text)) }
        let set = try RuleSet.load(from: [folder.path + "/rules"])
        return try Diagnoser(rules: set).diagnose(files).diagnoses
    }

    static let crossJob = """
    id: cross
    ecosystem: demo
    severity: error
    priority: 90
    summary: Made in one job, needed in a later one, not kept.
    supersedes: [generic]
    match:
      - as: made
        event: demo.made
        where: { path: { outside_project: true } }
      - as: need
        event: demo.needed
        job: { after: made }
        where: { name: '{{made.name}}' }
    absent:
      - event: demo.kept
        job: { same: made }
        where: { path: { covers: '{{made.path}}' } }
    group_by: [made.job, need.job]
    title: '{{need.name}} made in {{made.job}} is gone in {{need.job}}'
    explanation: 'x'
    fixes: [{ summary: 'keep {{made.path}}' }]
    """

    static let generic = """
    id: generic
    ecosystem: demo
    severity: error
    priority: 10
    summary: Something is needed.
    match:
      - as: need
        event: demo.needed
    title: '{{need.name}} is needed in {{need.job}}'
    explanation: 'x'
    fixes: [{ summary: 'make it' }]
    """

    @Test func crossJobJoinWithOrderingAndSupersession() throws {
        let result = try diagnoses(
            rules: ["cross": Self.crossJob, "generic": Self.generic],
            logs: ["1-build": "made app in /usr/local/app\nmade lib in /usr/local/lib\n", "2-test": "need app\nneed lib\n"])
        #expect(result.map(\.rule) == ["cross"])
        let root = try #require(result.first)
        #expect(root.title == "app and lib made in 1-build is gone in 2-test")
        #expect(root.jobs == ["1-build", "2-test"])
        #expect(root.fixes.first?.summary == "keep /usr/local/app and /usr/local/lib")
        #expect(root.evidence.map { "\($0.job):\($0.line)" } == ["1-build:1", "1-build:2", "2-test:1", "2-test:2"])
        #expect(root.symptoms.map(\.rule) == ["generic", "generic"])
    }

    @Test func aLesserDiagnosisAboutALineInTheCauseEvidenceIsFoldedWithoutSupersedes() throws {
        let unnamed = Self.generic.replacingOccurrences(of: "id: generic", with: "id: unnamed")
        let cross = Self.crossJob.replacingOccurrences(of: "supersedes: [generic]", with: "supersedes: []")
        let result = try diagnoses(
            rules: ["cross": cross, "unnamed": unnamed],
            logs: ["1-build": "made app in /usr/local/app\n", "2-test": "need app\nneed other\n"])
        #expect(result.map(\.rule) == ["cross", "unnamed"])
        #expect(result[0].symptoms.map(\.title) == ["app is needed in 2-test"])
        #expect(result[1].title == "other is needed in 2-test")
    }

    @Test func collectLastKeepsOnlyTheLatestMatch() throws {
        let rule = """
        id: latest
        ecosystem: demo
        severity: warning
        summary: Which path was kept last before the need.
        match:
          - as: need
            event: demo.needed
          - as: kept
            event: demo.kept
            line: { before: need }
            collect: last
        title: '{{need.name}} needed after keeping {{kept.path}}'
        explanation: 'x'
        fixes: [{ summary: 'x' }]
        """
        let result = try diagnoses(rules: ["latest": rule], logs: ["job": "kept a\nkept b\nkept c\nneed x\n"])
        #expect(result.map(\.title) == ["x needed after keeping c"])
    }

    @Test func laterJobOnly() throws {
        let result = try diagnoses(
            rules: ["cross": Self.crossJob, "generic": Self.generic],
            logs: ["1-test": "need app\n", "2-build": "made app in /usr/local/app\n"])
        #expect(result.map(\.rule) == ["generic"])
    }

    @Test func absenceRulesTheDiagnosisOut() throws {
        let result = try diagnoses(
            rules: ["cross": Self.crossJob, "generic": Self.generic],
            logs: ["1-build": "made app in /usr/local/app\nkept /usr/local\n", "2-test": "need app\n"])
        #expect(result.map(\.rule) == ["generic"])
    }

    @Test func insideTheProjectIsNotAMatch() throws {
        let result = try diagnoses(
            rules: ["cross": Self.crossJob, "generic": Self.generic],
            logs: ["1-build": "made app in dist/app\n", "2-test": "need app\n"])
        #expect(result.map(\.rule) == ["generic"])
    }

    @Test func lineOrderWithinAJob() throws {
        let rule = """
        id: ordered
        ecosystem: demo
        severity: warning
        summary: Needed before it was made.
        match:
          - as: need
            event: demo.needed
          - as: made
            event: demo.made
            line: { after: need }
            where: { name: '{{need.name}}' }
        title: '{{need.name}} needed at {{need.line}} before made at {{made.line}}'
        explanation: 'x'
        fixes: [{ summary: 'reorder' }]
        """
        let result = try diagnoses(rules: ["ordered": rule], logs: ["job": "made a in /x\nneed a\nneed b\nmade b in /y\n"])
        #expect(result.map(\.title) == ["b needed at 3 before made at 4"])
    }

    @Test func ordering_errorsFirstThenPriority() throws {
        let note = """
        id: note
        ecosystem: demo
        severity: info
        summary: A note.
        match:
          - as: k
            event: demo.kept
        title: 'kept {{k.path}}'
        explanation: 'x'
        """
        let result = try diagnoses(
            rules: ["cross": Self.crossJob, "generic": Self.generic, "note": note],
            logs: ["1-build": "kept dist\nmade app in /usr/local/app\n", "2-test": "need app\nneed other\n"])
        #expect(result.map(\.rule) == ["cross", "generic", "note"])
        #expect(result[1].title == "other is needed in 2-test")
    }
}
