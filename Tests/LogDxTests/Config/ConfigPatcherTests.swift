import Foundation
import Testing
@testable import LogDx
import TestSupport

/// Copies the configuration's root, checks the diff with `git apply --check`, applies it, and
/// checks that the files then hold exactly the patched texts.
func expectGitApplies(_ patch: ConfigPatch, root: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let folder = TemporaryDirectory()
    let copy = try ConfigFixtures.copy(root, into: folder)
    let patchFile = folder.write("fix.patch", patch.diff)
    let check = try runProcess("/usr/bin/git", ["apply", "--check", "-v", patchFile], in: copy)
    #expect(check.status == 0, "git apply --check: \(check.output)", sourceLocation: sourceLocation)
    let apply = try runProcess("/usr/bin/git", ["apply", patchFile], in: copy)
    #expect(apply.status == 0, "git apply: \(apply.output)", sourceLocation: sourceLocation)
    for change in patch.changes {
        let applied = try String(contentsOfFile: copy + "/" + change.path, encoding: .utf8)
        #expect(applied == change.patched, "\(change.path) after git apply", sourceLocation: sourceLocation)
    }
}

/// The configuration as it reads after the patch, without touching the fixture.
func reload(_ config: CIConfig, _ patch: ConfigPatch) throws -> CIConfig {
    var texts: [String: String] = [:]
    for change in patch.changes { texts[change.path] = change.patched }
    return try CIConfig.load(path: config.loadPath, overrides: texts)
}

/// Edits on the issue's own `.gitlab-ci.yml`: the fix the issue author arrived at.
@Suite struct ConfigPatcherSeedTests {
    static let venvEdits: [ConfigEdit] = [
        .unsetVariable(name: "UV_SYSTEM_PYTHON"),
        .addCachePath(path: ".venv", job: "uv-install"),
        .addScriptLine(job: "uv-install", line: "uv venv --allow-existing", before: "uv pip install"),
    ]

    @Test func venvFixMatchesTheIssueAuthorsConfig() throws {
        let config = try ConfigFixtures.load(ConfigFixtures.seed)
        let patch = try #require(ConfigPatcher(config: config).patch(Self.venvEdits))
        #expect(patch.changes.map(\.path) == [".gitlab-ci.yml"])
        // The author's fixed config, but for the comments on the show lines, the doubled blank
        // line, and `uv venv` placed before the install (what the rule asks for).
        #expect(patch.changes.first?.patched == """
        variables:
          UV_CACHE_DIR: .uv-cache

        default:
          image: ghcr.io/astral-sh/uv:0.5-python3.11-alpine
          cache:
            - key: test
              paths:
                - $UV_CACHE_DIR
                - .venv

        uv-install:
          stage: .pre
          script:
            - uv pip show rdflib || true # fails as expected
            - uv venv --allow-existing
            - uv pip install rdflib
            - uv cache prune --ci
            - uv pip show rdflib

        test:
          stage: test
          script:
            - uv pip show rdflib # fails here

        """)
        #expect(patch.changes.first?.original == (try String(contentsOfFile: ConfigFixtures.seed + "/.gitlab-ci.yml", encoding: .utf8)))
    }

    @Test func venvDiffMatchesTheGoldenFile() throws {
        let config = try ConfigFixtures.load(ConfigFixtures.seed)
        let patch = try #require(ConfigPatcher(config: config).patch(Self.venvEdits))
        let golden = try String(contentsOfFile: ConfigFixtures.seed + "/venv.patch", encoding: .utf8)
        #expect(patch.diff == golden)
    }

    @Test func goldenDiffIsAcceptedByGitApplyAndPatch() throws {
        let config = try ConfigFixtures.load(ConfigFixtures.seed)
        let patch = try #require(ConfigPatcher(config: config).patch(Self.venvEdits))
        try expectGitApplies(patch, root: ConfigFixtures.seed)

        let folder = TemporaryDirectory()
        let copy = try ConfigFixtures.copy(ConfigFixtures.seed, into: folder)
        let result = try runProcess("/usr/bin/patch", ["-p1", "--dry-run"], in: copy, input: patch.diff)
        #expect(result.status == 0, "patch -p1: \(result.output)")
    }

    @Test func patchedConfigReadsWithTheChange() throws {
        let config = try ConfigFixtures.load(ConfigFixtures.seed)
        let patch = try #require(ConfigPatcher(config: config).patch(Self.venvEdits))
        let fixed = try reload(config, patch)
        let install = try fixed.requireJob("uv-install")
        #expect(install.fact("config.variable", "name", "UV_SYSTEM_PYTHON") == nil)
        #expect(install.values("config.cache", "path") == [".uv-cache", ".venv"])
        #expect(install.fact("config.cache", "path", ".venv")?.line == 10)
        let commands = install.values("config.command", "command")
        #expect(commands.firstIndex(of: "uv venv --allow-existing") == commands.firstIndex(of: "uv pip install rdflib").map { $0 - 1 })
        // The cache is the default one, so job test carries .venv too.
        #expect(try fixed.requireJob("test").values("config.cache", "path") == [".uv-cache", ".venv"])
    }

    @Test func sameEditsOnTheFixedConfigChangeNothing() throws {
        let config = try ConfigFixtures.load(ConfigFixtures.seed)
        let patch = try #require(ConfigPatcher(config: config).patch(Self.venvEdits))
        let fixed = try reload(config, patch)
        #expect(ConfigPatcher(config: fixed).patch(Self.venvEdits) == nil)
    }

    @Test func setVariableAddsToTheGlobalBlock() throws {
        let config = try ConfigFixtures.load(ConfigFixtures.seed)
        let patch = try #require(ConfigPatcher(config: config).patch([.setVariable(name: "UV_LINK_MODE", value: "copy")]))
        #expect(patch.diff == """
        --- a/.gitlab-ci.yml
        +++ b/.gitlab-ci.yml
        @@ -1,6 +1,7 @@
         variables:
           UV_SYSTEM_PYTHON: 1 # remove the need to create a venv
           UV_CACHE_DIR: .uv-cache
        +  UV_LINK_MODE: copy
         
         default:
           image: ghcr.io/astral-sh/uv:0.5-python3.11-alpine

        """)
        let fixed = try reload(config, patch)
        let variable = try #require(try fixed.requireJob("test").fact("config.variable", "name", "UV_LINK_MODE"))
        #expect(variable.fields["value"] == "copy" && variable.line == 4)
        try expectGitApplies(patch, root: ConfigFixtures.seed)
        // Already at that value: nothing to do.
        #expect(ConfigPatcher(config: fixed).patch([.setVariable(name: "UV_LINK_MODE", value: "copy")]) == nil)
    }

    @Test func allOrNothing() throws {
        let config = try ConfigFixtures.load(ConfigFixtures.seed)
        let patcher = ConfigPatcher(config: config)
        #expect(patcher.patch(Self.venvEdits + [.addCachePath(path: ".venv", job: "no-such-job")]) == nil)
        #expect(patcher.patch([.addScriptLine(job: "deploy", line: "make", before: nil)]) == nil)
        #expect(patcher.patch([]) == nil)
        // Satisfied edits alone change nothing: no patch.
        #expect(patcher.patch([.unsetVariable(name: "NOT_SET_ANYWHERE")]) == nil)
        #expect(patcher.patch([.addCachePath(path: ".uv-cache/wheels-v3", job: "test")]) == nil)
        #expect(patcher.patch([.setVariable(name: "UV_CACHE_DIR", value: ".uv-cache")]) == nil)
        #expect(patcher.patch([.addScriptLine(job: "test", line: "uv pip show rdflib", before: nil)]) == nil)
        // Mixed with a real edit, a satisfied one is fine.
        let patch = try #require(patcher.patch([.addCachePath(path: "./.uv-cache/", job: "test"), .addCachePath(path: ".venv", job: "test")]))
        let added = patch.diff.split(separator: "\n").filter { $0.hasPrefix("+") && !$0.hasPrefix("+++") }
        #expect(added == ["+        - .venv"])
    }

    @Test func aConfigNotLoadedFromDiskCannotBePatched() {
        let config = CIConfig(provider: .gitlab, root: "/nowhere", files: [], stages: [], jobs: [], notices: [])
        #expect(ConfigPatcher(config: config).patch([.unsetVariable(name: "X")]) == nil)
    }
}

/// Edits on a multi-file GitLab project: each lands in the file and block that writes the value.
@Suite struct ConfigPatcherGitLabTests {
    func patch(_ edits: [ConfigEdit]) throws -> (CIConfig, ConfigPatch) {
        let config = try ConfigFixtures.load(ConfigFixtures.gitlab)
        let patch = try #require(ConfigPatcher(config: config).patch(edits))
        try expectGitApplies(patch, root: ConfigFixtures.gitlab)
        return (config, patch)
    }

    @Test func flowListGetsTheItemInline() throws {
        let (config, patch) = try patch([.addCachePath(path: ".pytest_cache", job: "unit-tests 1/2")])
        #expect(patch.changes.map(\.path) == ["ci/jobs/test.yml"])
        #expect(patch.diff.contains("-    paths: [.venv, $PIP_CACHE_DIR]\n+    paths: [.venv, $PIP_CACHE_DIR, .pytest_cache]\n"))
        let unit = try reload(config, patch).requireJob("unit-tests")
        #expect(unit.values("config.cache", "path") == [".venv", ".cache/pip", ".pytest_cache"])
        #expect(unit.facts("config.cache").allSatisfy { $0.fields["policy"] == "pull" })
    }

    @Test func templateArtifactsAreEditedInTheIncludedFile() throws {
        let (config, patch) = try patch([.addArtifactPath(path: "htmlcov/", job: "unit-tests")])
        #expect(patch.changes.map(\.path) == ["ci/templates.yml"])
        #expect(patch.diff.contains("       - coverage.xml\n+      - htmlcov/\n"))
        let fixed = try reload(config, patch)
        // Both jobs extending the template carry it now.
        #expect(try fixed.requireJob("integration-tests").fact("config.artifact", "path", "htmlcov/")?.file == "ci/templates.yml")
        #expect(try fixed.requireJob("unit-tests").fact("config.artifact", "path", "htmlcov/")?.line == 27)
    }

    @Test func anchoredCacheIsEditedAtTheAnchor() throws {
        let (config, patch) = try patch([.addCachePath(path: ".tox", job: "integration-tests")])
        #expect(patch.diff.contains("@@ -2,6 +2,7 @@\n   key: pip-$CI_JOB_NAME\n   paths:\n     - .cache/pip\n+    - .tox\n"))
        let cache = try reload(config, patch).requireJob("integration-tests").facts("config.cache")
        #expect(cache.map { $0.fields["path"] ?? "" } == [".cache/pip", ".tox"])
        #expect(cache.allSatisfy { $0.fields["policy"] == "pull" })
    }

    @Test func defaultCacheIsEditedForJobsWithoutTheirOwn() throws {
        let (config, patch) = try patch([.addCachePath(path: ".mypy_cache", job: "mypy")])
        #expect(patch.changes.map(\.path) == [".gitlab-ci.yml"])
        #expect(patch.diff.contains("       - $PIP_CACHE_DIR\n+      - .mypy_cache\n"))
        #expect(try reload(config, patch).requireJob("build-wheel").values("config.cache", "path") == [".cache/pip", ".mypy_cache"])
    }

    @Test func jobWithoutCacheOrArtifactsGetsItsOwnBlock() throws {
        let (config, patch) = try patch([
            .addCachePath(path: "docs/node_modules", job: "pages"),
            .addArtifactPath(path: "mypy-report/", job: "mypy"),
        ])
        #expect(patch.changes.map(\.path) == [".gitlab-ci.yml", "ci/jobs/lint.yml"])
        #expect(patch.diff.contains("""
             - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
        +  cache:
        +    paths:
        +      - docs/node_modules

        """))
        #expect(patch.diff.contains("""
             - mypy --cache-dir $MYPY_CACHE_DIR src/
        +  artifacts:
        +    paths:
        +      - mypy-report/

        """))
        let fixed = try reload(config, patch)
        #expect(try fixed.requireJob("pages").facts("config.cache").map(\.fields) == [[
            "path": "docs/node_modules", "raw_path": "docs/node_modules", "key": "default", "policy": "pull-push", "when": "on_success",
        ]])
        #expect(try fixed.requireJob("mypy").values("config.artifact", "path") == ["mypy-report/"])
    }

    @Test func artifactsWithOnlyReportsGetPaths() throws {
        let (config, patch) = try patch([.addArtifactPath(path: "ruff-report.txt", job: "ruff")])
        #expect(patch.diff.contains("       codequality: gl-code-quality-report.json\n+    paths:\n+      - ruff-report.txt\n"))
        let ruff = try reload(config, patch).requireJob("ruff")
        #expect(ruff.fact("config.artifact", "path", "ruff-report.txt")?.line == 16)
    }

    @Test func flowArtifactsAndCoveredPaths() throws {
        let (config, patch) = try patch([
            .addArtifactPath(path: "site/", job: "pages"),
            .addArtifactPath(path: "public/index.html", job: "pages"),
            .addArtifactPath(path: "dist/papertrail.whl", job: "build-wheel"),
        ])
        #expect(patch.changes.count == 1)
        #expect(patch.diff.contains("-    paths: [public]\n+    paths: [public, site/]\n"))
        #expect(try reload(config, patch).requireJob("pages").values("config.artifact", "path") == ["public", "site/"])
    }

    @Test func scriptLinesGoBeforeTheMatchingItem() throws {
        let (config, patch) = try patch([
            .addScriptLine(job: "integration-tests", line: "pip install -e .", before: "pytest"),
            .addScriptLine(job: "mypy", line: "pip install types-requests", before: "mypy --cache-dir"),
            .addScriptLine(job: "pages", line: #"echo "deploying: $CI_COMMIT_SHA""#, before: nil),
        ])
        #expect(patch.diff.contains("   script:\n+    - pip install -e .\n     - pytest tests/integration\n"))
        #expect(patch.diff.contains("     - !reference [.typing-setup, script]\n+    - pip install types-requests\n     - mypy --cache-dir"))
        // A line YAML would misread is quoted.
        #expect(patch.diff.contains(#"+    - 'echo "deploying: $CI_COMMIT_SHA"'"#))
        let fixed = try reload(config, patch)
        #expect(try fixed.requireJob("pages").facts("config.command").first?.fields["command"] == #"echo "deploying: $CI_COMMIT_SHA""#)
        let mypy = try fixed.requireJob("mypy").values("config.command", "command")
        #expect(Array(mypy.suffix(2)) == ["pip install types-requests", "mypy --cache-dir $MYPY_CACHE_DIR src/"])
    }

    @Test func beforeMatchesCommandsInsideReferences() throws {
        let (_, patch) = try patch([.addScriptLine(job: "mypy", line: "echo start", before: "pip install -r")])
        // The command is in the `!reference` item, so the line goes before that item.
        #expect(patch.diff.contains("   script:\n+    - echo start\n     - !reference [.tested-python, before_script]\n"))
    }

    @Test func inheritedScriptIsEditedInTheTemplate() throws {
        let (_, patch) = try patch([.addScriptLine(job: "unit-tests", line: "pip install -e .", before: "pytest")])
        #expect(patch.changes.map(\.path) == ["ci/templates.yml"])
    }

    @Test func unsetRemovesFromEveryFileAndDropsEmptiedBlocks() throws {
        let (config, patch) = try patch([.unsetVariable(name: "PIP_DISABLE_PIP_VERSION_CHECK"), .unsetVariable(name: "DEPLOY_ENV")])
        #expect(patch.changes.map(\.path) == [".gitlab-ci.yml", "ci/templates.yml", "ci/jobs/lint.yml"])
        #expect(patch.diff.contains("   tags: [docker, linux]\n-  variables:\n-    PIP_DISABLE_PIP_VERSION_CHECK: \"1\"\n"))
        #expect(patch.diff.contains("-    PIP_DISABLE_PIP_VERSION_CHECK: !reference [.python-job, variables, PIP_DISABLE_PIP_VERSION_CHECK]\n"))
        #expect(patch.diff.contains("-  variables:\n-    DEPLOY_ENV: production\n"))
        let fixed = try reload(config, patch)
        for job in fixed.jobs {
            #expect(job.fact("config.variable", "name", "PIP_DISABLE_PIP_VERSION_CHECK") == nil)
            #expect(job.fact("config.variable", "name", "DEPLOY_ENV") == nil)
        }
        #expect(try fixed.requireJob("mypy").values("config.variable", "name").contains("MYPY_CACHE_DIR"))
    }

    @Test func setVariableKeepsTheQuoting() throws {
        let (config, patch) = try patch([.setVariable(name: "PYTHON_VERSION", value: "3.10")])
        #expect(patch.diff.contains("-  PYTHON_VERSION: \"3.12\"\n+  PYTHON_VERSION: \"3.10\"\n"))
        #expect(try reload(config, patch).requireJob("build-wheel").fact("config.variable", "name", "PYTHON_VERSION")?.fields["value"] == "3.10")
    }
}

/// Edits on small GitLab configs that exercise one text shape each.
@Suite struct ConfigPatcherShapesTests {
    func patch(_ text: String, _ edits: [ConfigEdit]) throws -> ConfigPatch? {
        let folder = TemporaryDirectory()
        folder.write(".gitlab-ci.yml", text)
        let config = try CIConfig.load(path: folder.path)
        let patch = ConfigPatcher(config: config).patch(edits)
        if let patch {
            try expectGitApplies(patch, root: folder.path)
            var texts: [String: String] = [:]
            for change in patch.changes { texts[change.path] = change.patched }
            _ = try CIConfig.load(path: folder.path, overrides: texts)
        }
        return patch
    }

    @Test func flowMappingsAndScalarScripts() throws {
        let patch = try #require(try patch("""
        variables: {A: 1, B: two, C: "3"}
        job:
          variables: { B: x }
          script: make test  # run it
        """, [.unsetVariable(name: "B"), .unsetVariable(name: "C"), .addScriptLine(job: "job", line: "make deps", before: nil)]))
        #expect(patch.changes.first?.patched == """
        variables: {A: 1}
        job:
          variables: { }
          script:  # run it
            - make deps
            - make test
        """)
    }

    @Test func expandedVariableFormKeepsItsDescription() throws {
        let patch = try #require(try patch("""
        variables:
          UV_LINK_MODE:
            value: hardlink
            description: how uv links packages
            options: [hardlink, copy]
        job:
          script: [make]
        """, [.setVariable(name: "UV_LINK_MODE", value: "copy")]))
        #expect(patch.diff.contains("-    value: hardlink\n+    value: copy\n     description: how uv links packages\n"))
    }

    @Test func globalVariablesBlockIsCreatedAtTheTop() throws {
        let patch = try #require(try patch("""
        # Build the C library.

        stages: [build]
        job:
          stage: build
          script: [make]
        """, [.setVariable(name: "UV_NO_CACHE", value: "yes"), .setVariable(name: "CFLAGS", value: "-O2 -g")]))
        #expect(patch.changes.first?.patched == """
        # Build the C library.

        variables:
          UV_NO_CACHE: 'yes'
          CFLAGS: -O2 -g

        stages: [build]
        job:
          stage: build
          script: [make]
        """)
    }

    @Test func emptyVariablesKeyIsFilled() throws {
        let patch = try #require(try patch("variables:\njob:\n  script: [make]\n", [.setVariable(name: "A", value: "1")]))
        #expect(patch.changes.first?.patched == "variables:\n  A: 1\njob:\n  script: [make]\n")
    }

    @Test func rulesVariablesAreUnsetToo() throws {
        let patch = try #require(try patch("""
        job:
          script: [make]
          rules:
            - if: $CI_COMMIT_TAG
              variables:
                RELEASE: "true"
          variables:
            RELEASE: "false"
            LEVEL: 3
        """, [.unsetVariable(name: "RELEASE")]))
        #expect(patch.changes.first?.patched == """
        job:
          script: [make]
          rules:
            - if: $CI_COMMIT_TAG
          variables:
            LEVEL: 3
        """)
    }

    @Test func aliasedCacheIsEditedAtItsAnchor() throws {
        let patch = try #require(try patch("""
        .defaults: &defaults
          cache: &shared-cache
            key: deps
            paths:
              - vendor/
        job1:
          <<: *defaults
          script: [make]
        job2:
          cache: *shared-cache
          script: [make]
        """, [.addCachePath(path: "build/", job: "job2")]))
        #expect(patch.diff.contains("       - vendor/\n+      - build/\n"))
    }

    @Test func indentlessListsAndAFileWithoutFinalNewline() throws {
        let patch = try #require(try patch("job:\n  script:\n  - make\n  cache:\n    paths:\n    - a", [
            .addCachePath(path: "b", job: "job"), .addScriptLine(job: "job", line: "make deps", before: nil),
        ]))
        #expect(patch.changes.first?.patched == "job:\n  script:\n  - make deps\n  - make\n  cache:\n    paths:\n    - a\n    - b")
        #expect(patch.diff.hasSuffix("+    - b\n\\ No newline at end of file\n"))
    }

    @Test func cacheWithoutPathsGetsThem() throws {
        let patch = try #require(try patch("job:\n  script: [make]\n  cache:\n    key: $CI_COMMIT_REF_SLUG\n    untracked: true\n", [
            .addCachePath(path: ".venv", job: "job"),
        ]))
        #expect(patch.changes.first?.patched == "job:\n  script: [make]\n  cache:\n    key: $CI_COMMIT_REF_SLUG\n    untracked: true\n    paths:\n      - .venv\n")
    }

    @Test func disabledCacheIsNotApplicable() throws {
        #expect(try patch("job:\n  script: [make]\n  cache: []\n", [.addCachePath(path: ".venv", job: "job")]) == nil)
    }

    @Test func crlfFilesKeepTheirLineEndings() throws {
        let patch = try #require(try patch("job:\r\n  script:\r\n    - make\r\n  cache:\r\n    paths:\r\n      - a\r\n", [
            .addCachePath(path: "b", job: "job"), .addScriptLine(job: "job", line: "make deps", before: "make"),
        ]))
        #expect(patch.changes.first?.patched == "job:\r\n  script:\r\n    - make deps\r\n    - make\r\n  cache:\r\n    paths:\r\n      - a\r\n      - b\r\n")
    }

    @Test func quotingInFlowScripts() throws {
        let patch = try #require(try patch(#"job:\#n  script: ["make a", make b]\#n"#, [.addScriptLine(job: "job", line: "echo a, b", before: "make b")]))
        #expect(patch.changes.first?.patched == #"job:\#n  script: ["make a", 'echo a, b', make b]\#n"#)
    }
}
