import Foundation
import Testing
@testable import LogDx
import TestSupport

/// `addDependency`: a job that downloads no artifacts from their producer gets it added to the
/// list that decides (GitLab's `dependencies:`, else `needs:`).
@Suite struct ConfigDependencyEditTests {
    static let fixture = ConfigFixtures.root + "/artifacts-dependencies"

    /// A one-file config in a folder of its own, so the patch can be applied with git.
    func config(_ text: String, in folder: TemporaryDirectory) throws -> CIConfig {
        try CIConfig.load(path: folder.write(".gitlab-ci.yml", text))
    }

    @Test func anEmptyDependenciesListGetsTheProducer() throws {
        let config = try ConfigFixtures.load(Self.fixture)
        let patch = try #require(ConfigPatcher(config: config).patch([.addDependency(job: "e2e", from: "build")]))
        #expect(patch.diff.contains("-  dependencies: []\n+  dependencies: [build]\n"))
        try expectGitApplies(patch, root: Self.fixture)
        let after = try reload(config, patch)
        #expect(after.job(matching: "e2e")?.facts.contains { $0.kind == "config.download" && $0.fields["from"] == "build" } == true)
    }

    @Test func aBlockNeedsListGetsTheProducer() throws {
        let folder = TemporaryDirectory()
        let config = try config("""
        stages: [build, lint, test]
        build:
          stage: build
          script: [make dist]
          artifacts:
            paths: [dist/]
        lint:
          stage: lint
          script: [make lint]
        e2e:
          stage: test
          needs:
            - lint
          script:
            - ls dist/
        """, in: folder)
        let patch = try #require(ConfigPatcher(config: config).patch([.addDependency(job: "e2e", from: "build")]))
        #expect(patch.changes.first?.patched.contains("  needs:\n    - lint\n    - build\n") == true)
    }

    @Test func notApplicableWhereNothingIsWrittenOrTheProducerIsTurnedOff() throws {
        let folder = TemporaryDirectory()
        // No needs or dependencies: the job already downloads from every earlier stage.
        let implicit = try config("""
        build:
          stage: build
          script: [make dist]
          artifacts: { paths: [dist/] }
        e2e:
          stage: test
          script: [ls dist/]
        """, in: folder)
        #expect(ConfigPatcher(config: implicit).patch([.addDependency(job: "e2e", from: "build")]) == nil)
        // `needs: - job: build, artifacts: false` is a choice to undo by hand, not a name to add.
        let other = TemporaryDirectory()
        let turnedOff = try config("""
        build:
          stage: build
          script: [make dist]
          artifacts: { paths: [dist/] }
        e2e:
          stage: test
          needs:
            - job: build
              artifacts: false
          script: [ls dist/]
        """, in: other)
        #expect(ConfigPatcher(config: turnedOff).patch([.addDependency(job: "e2e", from: "build")]) == nil)
    }
}
