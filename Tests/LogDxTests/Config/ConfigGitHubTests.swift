import Foundation
import Testing
@testable import LogDx
import TestSupport

/// Reading GitHub workflows: env precedence, cache and artifact steps, needs, run lines.
@Suite struct ConfigGitHubTests {
    @Test func folderReadsEveryWorkflow() throws {
        let config = try ConfigFixtures.load(ConfigFixtures.github)
        #expect(config.provider == .github)
        #expect(config.root == ConfigFixtures.github)
        #expect(config.files == [".github/workflows/ci.yml", ".github/workflows/docs.yml"])
        #expect(config.stages.isEmpty)
        #expect(config.notices.isEmpty)
        #expect(config.jobs.map(\.name) == ["lint", "test", "build", "publish", "docs"])
        #expect(config.jobs.allSatisfy { $0.stage == nil })
        let docs = try config.requireJob("docs")
        #expect(docs.file == ".github/workflows/docs.yml" && docs.line == 9)
        #expect(docs.facts("config.job").first?.fields["image"] == "node:20-bookworm")
    }

    @Test func singleWorkflowFileHasTheRepositoryAsRoot() throws {
        let config = try CIConfig.load(path: ConfigFixtures.github + "/.github/workflows/docs.yml")
        #expect(config.root == ConfigFixtures.github)
        #expect(config.files == [".github/workflows/docs.yml"])
        #expect(config.jobs.map(\.name) == ["docs"])
    }

    @Test func cacheStepGivesOneFactPerPathLine() throws {
        let config = try ConfigFixtures.load(ConfigFixtures.github)
        let test = try config.requireJob("test")
        let caches = test.facts("config.cache")
        #expect(caches.map { $0.fields["raw_path"] ?? "" } == ["~/.cache/pip", "${{ env.VENV_DIR }}"])
        // `${{ env.VENV_DIR }}` expands from the job's env.
        #expect(caches.map { $0.fields["path"] ?? "" } == ["~/.cache/pip", ".venv"])
        #expect(caches.map(\.line) == [48, 49])
        #expect(caches.map(\.text) == ["~/.cache/pip", "${{ env.VENV_DIR }}"])
        #expect(caches.allSatisfy { $0.fields["policy"] == "pull-push" && $0.fields["step"] == "Cache pip and venv" })
        #expect(caches.first?.fields["key"] == "${{ runner.os }}-py${{ matrix.python-version }}-${{ hashFiles('requirements*.txt') }}")
        #expect(caches.first?.fields["fallback_keys"] == "${{ runner.os }}-py${{ matrix.python-version }}-")

        let docs = try config.requireJob("docs")
        #expect(docs.facts("config.cache").map { $0.fields["policy"] ?? "" } == ["pull", "push"])
        #expect(docs.facts("config.cache").map { $0.fields["path"] ?? "" } == ["docs/node_modules", "docs/node_modules"])
    }

    @Test func setupActionsCacheWithoutKnownPaths() throws {
        let config = try ConfigFixtures.load(ConfigFixtures.github)
        let lint = try config.requireJob("lint")
        let cache = try #require(lint.facts("config.cache").first)
        #expect(cache.fields["tool"] == "setup-python" && cache.fields["key"] == "setup action" && cache.fields["cache"] == "pip")
        #expect(cache.fields["path"] == nil)
        #expect(cache.line == 24 && cache.text == "cache: pip")
        let build = try config.requireJob("build")
        #expect(build.facts("config.cache").first?.fields["tool"] == "setup-uv")
    }

    @Test func artifactsUploadAndDownload() throws {
        let config = try ConfigFixtures.load(ConfigFixtures.github)
        let test = try config.requireJob("test")
        let uploads = test.facts("config.artifact")
        #expect(uploads.map { $0.fields["path"] ?? "" } == ["junit.xml", "coverage.xml"])
        #expect(uploads.map(\.line) == [70, 71])
        #expect(uploads.allSatisfy { $0.fields["when"] == "always" && $0.fields["expire_in"] == "7 days" })
        #expect(uploads.first?.fields["name"] == "test-results-${{ matrix.os }}-${{ matrix.python-version }}")

        let build = try config.requireJob("build")
        #expect(build.facts("config.artifact").map(\.fields) == [[
            "name": "dist", "path": "dist/", "raw_path": "dist/", "when": "on_success", "step": "actions/upload-artifact@v4",
        ]])
        let publish = try config.requireJob("publish")
        let download = try #require(publish.facts("config.download").first)
        #expect(download.fields["name"] == "dist" && download.fields["path"] == "dist/" && download.fields["from"] == "build")
        #expect(download.line == 96)
    }

    @Test func needsAndEnvPrecedence() throws {
        let config = try ConfigFixtures.load(ConfigFixtures.github)
        let build = try config.requireJob("build")
        #expect(build.values("config.needs", "needs") == ["lint", "test"])
        #expect(build.facts("config.needs").allSatisfy { $0.line == 76 })

        let test = try config.requireJob("test")
        #expect(test.values("config.needs", "needs") == ["lint"])
        // Job env wins over workflow env; the fact points at the job's line.
        let color = try #require(test.fact("config.variable", "name", "FORCE_COLOR"))
        #expect(color.fields["value"] == "0" && color.line == 37)
        #expect(test.facts("config.variable").filter { $0.fields["name"] == "FORCE_COLOR" }.count == 1)
        #expect(try config.requireJob("lint").fact("config.variable", "name", "FORCE_COLOR")?.fields["value"] == "1")
        // Step env is the step's own.
        let step = try #require(test.fact("config.variable", "name", "PYTEST_ADDOPTS"))
        #expect(step.fields["step"] == "Run tests" && step.fields["value"] == "--color=yes")
        // Named like a secret: masked even though it is only an expression.
        let token = try #require(test.fact("config.variable", "name", "CODECOV_TOKEN"))
        #expect(token.fields["value"] == "[REDACTED]" && token.text == "CODECOV_TOKEN: [REDACTED]")
    }

    @Test func runLinesAreCommands() throws {
        let config = try ConfigFixtures.load(ConfigFixtures.github)
        let test = try config.requireJob("test")
        let commands = test.facts("config.command")
        #expect(commands.map { $0.fields["command"] ?? "" } == [
            "python -m venv $VENV_DIR", ". $VENV_DIR/bin/activate", "pip install -r requirements-dev.txt",
            ". $VENV_DIR/bin/activate", "pytest --junitxml=junit.xml --cov --cov-report=xml",
        ])
        #expect(commands.map(\.line) == [55, 56, 57, 62, 63])
        #expect(commands.allSatisfy { $0.fields["section"] == "run" })
        #expect(commands.first?.fields["step"] == "Install dependencies")
    }

    @Test func jobMatchingAcrossProviders() throws {
        let github = try ConfigFixtures.load(ConfigFixtures.github)
        #expect(github.job(matching: "test (3.11, ubuntu-latest)")?.name == "test")
        #expect(github.job(matching: "lint")?.name == "lint")
        #expect(github.job(matching: "Build wheel")?.name == "build")
        #expect(github.job(matching: "build")?.name == "build")
        // `name:` with an expression matches the name as the log shows it.
        #expect(github.job(matching: "Build docs (main)")?.name == "docs")
        #expect(github.job(matching: "deploy") == nil)

        let gitlab = try ConfigFixtures.load(ConfigFixtures.gitlab)
        #expect(gitlab.job(matching: "unit-tests 1/2")?.name == "unit-tests")
        #expect(gitlab.job(matching: "unit-tests: [3.11]")?.name == "unit-tests")
        #expect(gitlab.job(matching: "pages")?.name == "pages")
        #expect(gitlab.job(matching: ".tested-python") == nil)
        #expect(gitlab.job(matching: "unit") == nil)
    }
}

/// Inputs that are not CI configurations, or not YAML, fail with a message saying where and why.
@Suite struct ConfigErrorTests {
    @Test func missingPath() {
        #expect(throws: CIConfigError.notFound(path: "/nonexistent/ci.yml")) {
            try CIConfig.load(path: "/nonexistent/ci.yml")
        }
        let folder = TemporaryDirectory()
        folder.write("README.md", "# nothing here")
        #expect(throws: CIConfigError.notFound(path: folder.path)) {
            try CIConfig.load(path: folder.path)
        }
    }

    @Test func brokenYAMLNamesFileLineAndColumn() throws {
        let folder = TemporaryDirectory()
        folder.write(".gitlab-ci.yml", """
        stages: [build]
        build:
          script:
            - make
           artifacts:
            paths: [out/]
        """)
        do {
            _ = try CIConfig.load(path: folder.path)
            Issue.record("a broken file must not load")
        } catch {
            guard case .notYAML(let file, let line, let column, let reason) = error else {
                Issue.record("expected notYAML, got \(error)")
                return
            }
            #expect(file == ".gitlab-ci.yml")
            #expect(line == 5 && column == 4)
            #expect(!reason.isEmpty)
            #expect(error.description.hasPrefix(".gitlab-ci.yml:5:4: not valid YAML: "))
            #expect(error.description.contains("fix the file there"))
        }
    }

    @Test func brokenIncludedFileIsNamed() throws {
        let folder = TemporaryDirectory()
        folder.write(".gitlab-ci.yml", "include: ci/jobs.yml\nbuild:\n  script: [make]\n")
        folder.write("ci/jobs.yml", "test:\n  script: [make test\n")
        #expect {
            try CIConfig.load(path: folder.path)
        } throws: { error in
            guard case .notYAML(let file, let line, _, _) = error as? CIConfigError else { return false }
            return file == "ci/jobs.yml" && line == 3
        }
    }

    @Test func duplicateKeysAreReported() throws {
        let folder = TemporaryDirectory()
        folder.write(".gitlab-ci.yml", "build:\n  script: [make]\nbuild:\n  script: [make all]\n")
        #expect {
            try CIConfig.load(path: folder.path)
        } throws: { error in
            guard case .notYAML(_, _, _, let reason) = error as? CIConfigError else { return false }
            return reason.contains("duplicate key build")
        }
    }

    @Test func yamlThatIsNotAConfig() throws {
        let folder = TemporaryDirectory()
        let list = folder.write("list.yml", "- a\n- b\n")
        #expect(throws: CIConfigError.notCIConfig(file: "list.yml", reason: "its top level is a list, not a mapping of keywords and jobs")) {
            try CIConfig.load(path: list)
        }
        let keywords = folder.write("only-keywords.yml", "variables:\n  A: 1\nstages: [build]\n")
        #expect {
            try CIConfig.load(path: keywords)
        } throws: { error in
            (error as? CIConfigError)?.description.contains("only-keywords.yml is not a CI configuration: it defines no jobs") == true
        }
        let workflow = folder.write("repo/.github/workflows/ci.yml", "name: CI\non: push\n")
        #expect(throws: CIConfigError.notCIConfig(file: ".github/workflows/ci.yml", reason: "it has no `jobs:` mapping of GitHub jobs")) {
            try CIConfig.load(path: workflow)
        }
    }

    @Test func brokenWorkflowInAFolderIsSkippedWithANotice() throws {
        let folder = TemporaryDirectory()
        folder.write(".github/workflows/a.yml", "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n")
        folder.write(".github/workflows/b.yaml", "on: push\njobs: [\n")
        let config = try CIConfig.load(path: folder.path)
        #expect(config.files == [".github/workflows/a.yml"])
        #expect(config.jobs.map(\.name) == ["build"])
        #expect(config.notices.count == 1)
        #expect(config.notices.first?.hasPrefix(".github/workflows/b.yaml:3:1: not valid YAML") == true)
    }

    @Test func aliasBombIsRefused() throws {
        let folder = TemporaryDirectory()
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...8 {
            text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        text += "job:\n  script: *a8\n"
        folder.write(".gitlab-ci.yml", text)
        #expect {
            try CIConfig.load(path: folder.path)
        } throws: { error in
            guard case .notCIConfig = error as? CIConfigError else { return false }
            return true
        }
    }
}
