import Foundation
import Testing
@testable import LogDx
import TestSupport

/// A pipeline with many events has its rules solved on several threads, each with a matcher of
/// its own. What it finds must not depend on that: the same findings, in the same order, with the
/// same values and evidence, as one thread finds, on every pipeline fixture.
@Suite struct RuleEngineLanesTests {
    static let compiled = CompiledEvents(rules: Repo.builtInRules)

    /// Every pipeline fixture, read, with its events by kind.
    static func fixturePipelines() throws -> [(folder: String, pipeline: Pipeline, events: [String: [Event]])] {
        let root = Repo.fixtures + "/pipelines"
        var read: [(folder: String, pipeline: Pipeline, events: [String: [Event]])] = []
        for folder in try FileManager.default.contentsOfDirectory(atPath: root).sorted() {
            let logs = try FileManager.default.contentsOfDirectory(atPath: root + "/" + folder)
                .filter { $0.hasSuffix(".log") }.sorted().map { root + "/" + folder + "/" + $0 }
            guard !logs.isEmpty else { continue }
            var tokenizer = Tokenizer(compiled: Self.compiled)
            let pipeline = try PipelineReader().read(logs, into: &tokenizer)
            read.append((folder, pipeline, tokenizer.store.byKind(in: pipeline)))
        }
        return read
    }

    @Test func theFindingsAreTheSameOnOneThreadAndOnSeveral() throws {
        let engine = RuleEngine(rules: Repo.builtInRules)
        var compared = 0
        for (folder, pipeline, events) in try Self.fixturePipelines() {
            let alone = engine.findings(pipeline, eventsByKind: events, lanes: 1)
            for lanes in [2, 3, 7] {
                let dealt = engine.findings(pipeline, eventsByKind: events, lanes: lanes)
                #expect(dealt.map(\.rule.id) == alone.map(\.rule.id), "\(folder), \(lanes) lanes")
                #expect(dealt.map(\.values) == alone.map(\.values), "\(folder), \(lanes) lanes")
                #expect(dealt.map(\.evidence) == alone.map(\.evidence), "\(folder), \(lanes) lanes")
                #expect(dealt.map(\.jobs) == alone.map(\.jobs), "\(folder), \(lanes) lanes")
            }
            compared += alone.count
        }
        // The fixtures are failures the rules explain: most pipelines give findings to compare.
        #expect(compared > 50)
    }

    /// The kinds the engine skips when gathering package names (`kindsWithoutPackage`, from
    /// the rule set's fields) must hold none: the names are those a walk of every event finds.
    @Test func skippingKindsWithoutAPackageFieldLosesNoPackageName() throws {
        let engine = RuleEngine(rules: Repo.builtInRules)
        #expect(!engine.kindsWithoutPackage.isEmpty)
        var found = 0
        for (folder, _, events) in try Self.fixturePipelines() {
            let everyKind = TemplateFilters.packageNames(in: events)
            #expect(TemplateFilters.packageNames(in: events, skipping: engine.kindsWithoutPackage) == everyKind, "\(folder)")
            #expect(TemplateFilters.packageNames(in: events, skipping: engine.kindsWithoutPackage, concurrently: true) == everyKind, "\(folder)")
            found += everyKind.count
        }
        #expect(found > 20)
    }
}
