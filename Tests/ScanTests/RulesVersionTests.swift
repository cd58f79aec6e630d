import Foundation
import TestSupport
import LogDx
@testable import LogDxScan
import Testing

/// A scan skips a pipeline diagnosed with the same rules version. The built-in set and the
/// checkout's `Rules/` it is embedded from must hash the same (a database filled by one is current
/// for the other), and any edit to a rule must change the version.
@Suite struct RulesVersionTests {
    @Test func theEmbeddedSetAndRulesOnDiskHaveOneVersion() throws {
        let embedded = try RuleSet.load(from: [.builtIn])
        #expect(RulesVersion.of(embedded) == RulesVersion.of(RepositoryPaths.builtInRules))
    }

    @Test func anEditedRuleChangesTheVersion() throws {
        let folder = NSTemporaryDirectory() + "logdx-rules-version-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: RepositoryPaths.rules, toPath: folder)
        let before = RulesVersion.of(try RuleSet.load(from: [folder]))
        #expect(before == RulesVersion.of(RepositoryPaths.builtInRules))
        let file = try #require(RuleSource.folder(folder).yamlFiles().first { !$0.relativePath.hasPrefix("events/") })
        try (try file.text() + "\n# edited\n").write(toFile: file.path, atomically: true, encoding: .utf8)
        #expect(RulesVersion.of(try RuleSet.load(from: [folder])) != before)
    }
}
