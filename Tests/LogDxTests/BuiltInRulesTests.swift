import Foundation
import Testing
@testable import LogDx
import TestSupport

/// The rules compiled into the binary are the checkout's `Rules/`, file for file: the build embeds
/// them again whenever a file of `Rules/` changes, and this fails if that ever stops being true
/// (a file the plugin does not see, a stale build), since the tests and `rules test` read `Rules/`
/// on disk while users run the embedded copy.
@Suite struct BuiltInRulesTests {
    @Test func theEmbeddedFilesAreTheFilesOfRules() throws {
        let embedded = RuleSource.builtIn.files()
        let onDisk = RuleSource.folder(Repo.rules).files()
        #expect(embedded.map(\.relativePath) == onDisk.map(\.relativePath))
        #expect(embedded.contains { $0.relativePath == "data/pypi-names.txt" })
        #expect(embedded.contains { $0.relativePath == "schema/rule.schema.json" })
        for (inBinary, inFolder) in zip(embedded, onDisk) {
            #expect(inBinary.data() == inFolder.data(), "\(inBinary.relativePath) differs from Rules/\(inFolder.relativePath); rebuild")
        }
        #expect(RuleSource.builtIn.hasSameRuleFiles(as: .folder(Repo.rules)))
    }

    @Test func theEmbeddedSetLoadsAsTheFolderDoes() throws {
        let embedded = try RuleSet.load(from: [.builtIn])
        let onDisk = Repo.builtInRules
        #expect(embedded.rules.map(\.id) == onDisk.rules.map(\.id))
        #expect(embedded.events.map(\.id) == onDisk.events.map(\.id))
        #expect(embedded.rules.count > 100)
        // Messages name an embedded file by its place in Rules/, marked as built in.
        let rule = try #require(embedded.rules.first)
        #expect(rule.file.hasPrefix(RuleSource.builtInPrefix))
        #expect(FileManager.default.fileExists(atPath: Repo.rules + "/" + rule.file.dropFirst(RuleSource.builtInPrefix.count)))
    }

    @Test func theNameListsComeFromTheEmbeddedSet() throws {
        let lists = NearestPackageName.listFiles(for: .pypi, in: [.builtIn])
        #expect(lists.map(\.path) == [RuleSource.builtInPrefix + "data/pypi-names.txt"])
        #expect(NearestPackageName(pipelineNames: [], listFiles: lists, registry: .pypi).suggestion(for: "reqeusts") == "requests")
        #expect(NearestPackageName.listFiles(for: .crates, in: [.builtIn]).isEmpty)
    }

    @Test func theEmbeddedSchemasLintTheRules() throws {
        let result = try RuleLinter(sources: [.builtIn], schemas: .builtIn).lint()
        #expect(result.files == RuleSource.builtIn.yamlFiles().count)
        #expect(!result.findings.contains { $0.level == .error }, "\(result.findings.filter { $0.level == .error }.prefix(5))")
    }
}
