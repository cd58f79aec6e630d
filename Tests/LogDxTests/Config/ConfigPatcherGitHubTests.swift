import Foundation
import Testing
@testable import LogDx
import TestSupport

/// Edits on GitHub workflows: step `path:` blocks, new `run:` steps, env blocks.
@Suite struct ConfigPatcherGitHubTests {
    func patch(_ edits: [ConfigEdit]) throws -> (CIConfig, ConfigPatch) {
        let config = try ConfigFixtures.load(ConfigFixtures.github)
        let patch = try #require(ConfigPatcher(config: config).patch(edits))
        try expectGitApplies(patch, root: ConfigFixtures.github)
        return (config, patch)
    }

    @Test func cachePathIsAppendedToTheBlockScalar() throws {
        let (config, patch) = try patch([.addCachePath(path: ".mypy_cache", job: "test (3.12, macos-latest)")])
        #expect(patch.diff.contains("""
                   path: |
                     ~/.cache/pip
                     ${{ env.VENV_DIR }}
        +            .mypy_cache
                   key: ${{ runner.os }}
        """))
        let test = try reload(config, patch).requireJob("test")
        #expect(test.values("config.cache", "path") == ["~/.cache/pip", ".venv", ".mypy_cache"])
        #expect(test.fact("config.cache", "path", ".mypy_cache")?.line == 50)
    }

    @Test func plainPathsBecomeBlocksInRestoreAndSaveSteps() throws {
        let (config, patch) = try patch([.addCachePath(path: "docs/.cache", job: "docs")])
        #expect(patch.changes.map(\.path) == [".github/workflows/docs.yml"])
        #expect(patch.changes.first?.patched.components(separatedBy: "path: |\n            docs/node_modules\n            docs/.cache\n").count == 3)
        let docs = try reload(config, patch).requireJob("docs")
        #expect(docs.facts("config.cache").map { "\($0.fields["policy"] ?? "") \($0.fields["path"] ?? "")" }
            == ["pull docs/node_modules", "pull docs/.cache", "push docs/node_modules", "push docs/.cache"])
    }

    @Test func noCacheStepIsNotApplicable() throws {
        let config = try ConfigFixtures.load(ConfigFixtures.github)
        // setup-python caches by itself; there is no path to add to.
        #expect(ConfigPatcher(config: config).patch([.addCachePath(path: ".venv", job: "lint")]) == nil)
        #expect(ConfigPatcher(config: config).patch([.addArtifactPath(path: "x", job: "lint")]) == nil)
        #expect(ConfigPatcher(config: config).patch([.addCachePath(path: "~/.cache/pip", job: "test")]) == nil)
    }

    @Test func artifactPaths() throws {
        let (config, patch) = try patch([
            .addArtifactPath(path: "htmlcov/", job: "test"),
            .addArtifactPath(path: "SHA256SUMS", job: "Build wheel"),
        ])
        #expect(patch.diff.contains("             coverage.xml\n+            htmlcov/\n           retention-days: 7\n"))
        #expect(patch.diff.contains("-          path: dist/\n+          path: |\n+            dist/\n+            SHA256SUMS\n"))
        let fixed = try reload(config, patch)
        #expect(try fixed.requireJob("build").values("config.artifact", "path") == ["dist/", "SHA256SUMS"])
        #expect(try fixed.requireJob("test").values("config.artifact", "path") == ["junit.xml", "coverage.xml", "htmlcov/"])
    }

    @Test func runStepIsInsertedBeforeTheMatchingStep() throws {
        let (config, patch) = try patch([.addScriptLine(job: "test", line: "pip install -e .", before: "pytest")])
        #expect(patch.diff.contains("""
                   pip install -r requirements-dev.txt
        +      - run: pip install -e .
               - name: Run tests
        """))
        let commands = try reload(config, patch).requireJob("test").values("config.command", "command")
        #expect(commands.firstIndex(of: "pip install -e .") == 3)
        // Idempotent.
        #expect(ConfigPatcher(config: try reload(config, patch)).patch([.addScriptLine(job: "test", line: "pip install -e .", before: "pytest")]) == nil)
    }

    @Test func runStepWithoutMatchGoesBeforeTheFirstRunStepOrLast() throws {
        let (_, first) = try patch([.addScriptLine(job: "lint", line: "pip install -e .", before: "no such command")])
        #expect(first.diff.contains("           cache: pip\n+      - run: pip install -e .\n       - run: pip install ruff\n"))
        let (_, last) = try patch([.addScriptLine(job: "publish", line: "ls -l dist", before: nil)])
        #expect(last.diff.contains("       - uses: pypa/gh-action-pypi-publish@release/v1\n+      - run: ls -l dist\n"))
    }

    @Test func unsetRemovesWorkflowJobAndStepEnv() throws {
        let (config, patch) = try patch([.unsetVariable(name: "FORCE_COLOR"), .unsetVariable(name: "PYTEST_ADDOPTS")])
        #expect(patch.diff.contains("-  FORCE_COLOR: \"1\"\n"))
        #expect(patch.diff.contains("-      FORCE_COLOR: \"0\"\n"))
        #expect(patch.diff.contains("-        env:\n-          PYTEST_ADDOPTS: --color=yes\n"))
        let fixed = try reload(config, patch)
        #expect(fixed.jobs.allSatisfy { $0.fact("config.variable", "name", "FORCE_COLOR") == nil })
    }

    @Test func setEnvInEveryWorkflow() throws {
        let (config, patch) = try patch([.setVariable(name: "UV_LINK_MODE", value: "copy"), .setVariable(name: "FORCE_COLOR", value: "2")])
        #expect(patch.changes.map(\.path) == [".github/workflows/ci.yml", ".github/workflows/docs.yml"])
        #expect(patch.diff.contains("-  FORCE_COLOR: \"1\"\n+  FORCE_COLOR: \"2\"\n"))
        #expect(patch.diff.contains("   CODECOV_TOKEN: ${{ secrets.CODECOV_TOKEN }}\n+  UV_LINK_MODE: copy\n"))
        // A workflow without env gets one right before its jobs.
        #expect(patch.diff.contains("+env:\n+  UV_LINK_MODE: copy\n+  FORCE_COLOR: 2\n+\n jobs:\n"))
        let fixed = try reload(config, patch)
        #expect(try fixed.requireJob("docs").fact("config.variable", "name", "UV_LINK_MODE")?.fields["value"] == "copy")
        #expect(try fixed.requireJob("lint").fact("config.variable", "name", "FORCE_COLOR")?.fields["value"] == "2")
    }
}

/// The diff format itself, checked by `git apply` on shapes the fixtures do not have.
@Suite struct ConfigDiffTests {
    func applies(_ original: String, _ patched: String) throws -> String {
        let diff = UnifiedDiff.make(path: "ci.yml", original: original, patched: patched)
        let folder = TemporaryDirectory()
        folder.write("repo/ci.yml", original)
        let patchFile = folder.write("fix.patch", diff)
        let result = try runProcess("/usr/bin/git", ["apply", patchFile], in: folder.path + "/repo")
        #expect(result.status == 0, "\(result.output)\n\(diff)")
        #expect(try String(contentsOfFile: folder.path + "/repo/ci.yml", encoding: .utf8) == patched)
        return diff
    }

    @Test func unchangedTextGivesNoDiff() {
        #expect(UnifiedDiff.make(path: "a", original: "x\n", patched: "x\n") == "")
    }

    @Test func closeChangesShareAHunkAndFarOnesDoNot() throws {
        let lines = (1...30).map { "line \($0)" }
        var close = lines
        close[4] = "changed 5"
        close[9] = "changed 10"
        let closeDiff = try applies(lines.joined(separator: "\n") + "\n", close.joined(separator: "\n") + "\n")
        #expect(closeDiff.components(separatedBy: "\n@@").count == 2)
        #expect(closeDiff.contains("@@ -2,12 +2,12 @@\n"))

        var far = lines
        far[1] = "changed 2"
        far[25] = "changed 26"
        let farDiff = try applies(lines.joined(separator: "\n") + "\n", far.joined(separator: "\n") + "\n")
        #expect(farDiff.contains("@@ -1,5 +1,5 @@\n") && farDiff.contains("@@ -23,7 +23,7 @@\n"))
    }

    @Test func insertionsAtTheStartAndMissingFinalNewlines() throws {
        let startDiff = try applies("a\nb\n", "new\na\nb\n")
        #expect(startDiff.hasPrefix("--- a/ci.yml\n+++ b/ci.yml\n@@ -1,2 +1,3 @@\n+new\n a\n b\n"))
        _ = try applies("only line", "new first\nonly line")
        _ = try applies("a\nb", "a\nb\n")
        _ = try applies("a\nb\n", "a\nc")
        let emptied = try applies("a\n", "")
        #expect(emptied.contains("@@ -1 +0,0 @@\n-a\n"))
    }
}

/// `set_step_input`: the input of an action step (upload path, `load:`, `enableCrossOsArchive:`).
extension ConfigPatcherGitHubTests {

    @Test func stepInputIsReplacedOnlyWhereItReadsTheGivenValue() throws {
        let (config, patch) = try patch([.setStepInput(job: "build", action: "actions/upload-artifact", input: "path", value: "wheelhouse/", replacing: "dist/")])
        #expect(patch.diff.contains("-          path: dist/\n+          path: wheelhouse/\n"))
        #expect(try reload(config, patch).requireJob("build").values("config.artifact", "path") == ["wheelhouse/"])
        let unchanged = try ConfigFixtures.load(ConfigFixtures.github)
        // The upload asks for another path: replacing what is not there would fix nothing.
        #expect(ConfigPatcher(config: unchanged).patch([
            .setStepInput(job: "build", action: "actions/upload-artifact", input: "path", value: "wheelhouse/", replacing: "out/"),
        ]) == nil)
    }

    @Test func aMissingInputIsAddedToWithAndBooleansStayPlain() throws {
        let (_, patch) = try patch([.setStepInput(job: "build", action: "astral-sh/setup-uv", input: "python-version", value: "3.12", replacing: nil)])
        #expect(patch.diff.contains("           enable-cache: true\n+          python-version: '3.12'\n") || patch.diff.contains("           enable-cache: true\n+          python-version: \"3.12\"\n"), "\(patch.diff)")
        let (_, crossOS) = try self.patch([.setStepInput(job: "docs", action: "actions/cache", input: "enableCrossOsArchive", value: "true", replacing: nil)])
        // actions/cache names its restore part too; the first such step gets the input.
        #expect(crossOS.diff.contains("           key: docs-${{ hashFiles('docs/package-lock.json') }}\n+          enableCrossOsArchive: true\n"), "\(crossOS.diff)")
    }

    @Test func aStepWithoutWithGetsOne() throws {
        let (config, patch) = try patch([.setStepInput(job: "lint", action: "actions/checkout", input: "fetch-depth", value: "0", replacing: nil)])
        #expect(patch.diff.contains("+        with:\n+          fetch-depth: 0\n"), "\(patch.diff)")
        let steps = try #require(try reload(config, patch).requireJob("lint").node?["steps"]?.items)
        #expect(steps.first?["with"]?["fetch-depth"]?.string == "0")
    }

    @Test func noStepOfTheActionIsNotApplicable() throws {
        let config = try ConfigFixtures.load(ConfigFixtures.github)
        #expect(ConfigPatcher(config: config).patch([.setStepInput(job: "lint", action: "docker/build-push-action", input: "load", value: "true", replacing: nil)]) == nil)
    }
}

/// `append_to_command`: a flag added to the one-line command the log showed, on either CI.
@Suite struct AppendToCommandTests {
    static let gitlab = Repo.fixtures + "/config/docker-buildx-gitlab/.gitlab-ci.yml"

    @Test func theBuildCommandOfTheJobGetsTheFlag() throws {
        let config = try CIConfig.load(path: Self.gitlab)
        let edit = ConfigEdit.appendToCommand(job: "build-image", command: "docker buildx build -t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA .", text: "--push")
        let patch = try #require(ConfigPatcher(config: config).patch([edit]))
        #expect(patch.diff.contains("+    - docker buildx build -t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA . --push\n"), "\(patch.diff)")
        // A command the job does not run as written is not extended.
        #expect(ConfigPatcher(config: config).patch([.appendToCommand(job: "build-image", command: "docker build .", text: "--push")]) == nil)
        #expect(ConfigPatcher(config: config).patch([.appendToCommand(job: "test", command: "docker buildx build -t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA .", text: "--push")]) == nil)
    }
}
