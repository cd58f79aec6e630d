import Foundation
import Testing
@testable import LogDx
import TestSupport

/// Reading GitLab configurations: the facts of each job's effective configuration, each pointing
/// at the file and line that writes the value.
@Suite struct ConfigGitLabTests {
    @Test func seedConfigFacts() throws {
        let config = try ConfigFixtures.load(ConfigFixtures.seed)
        #expect(config.provider == .gitlab)
        #expect(config.root == ConfigFixtures.seed)
        #expect(config.files == [".gitlab-ci.yml"])
        #expect(config.stages == [".pre", "build", "test", "deploy", ".post"])
        #expect(config.notices.isEmpty)
        #expect(config.jobs.map(\.name) == ["uv-install", "test"])

        let install = try config.requireJob("uv-install")
        #expect(install.stage == ".pre")
        #expect(install.file == ".gitlab-ci.yml" && install.line == 12)
        let job = try #require(install.facts("config.job").first)
        #expect(job.fields == ["name": "uv-install", "stage": ".pre", "image": "ghcr.io/astral-sh/uv:0.5-python3.11-alpine"])
        #expect(job.line == 12 && job.text == "uv-install:")

        // The cache comes from `default:`, so it points at line 10 of the default block.
        let cache = try #require(install.facts("config.cache").first)
        #expect(install.facts("config.cache").count == 1)
        #expect(cache.fields == ["path": ".uv-cache", "raw_path": "$UV_CACHE_DIR", "key": "test", "policy": "pull-push", "when": "on_success"])
        #expect(cache.file == ".gitlab-ci.yml" && cache.line == 10 && cache.text == "- $UV_CACHE_DIR")

        let system = try #require(install.fact("config.variable", "name", "UV_SYSTEM_PYTHON"))
        #expect(system.fields["value"] == "1")
        #expect(system.line == 2 && system.text == "UV_SYSTEM_PYTHON: 1 # remove the need to create a venv")

        let commands = install.facts("config.command")
        #expect(commands.map { $0.fields["command"] ?? "" } == [
            "uv pip show rdflib || true", "uv pip install rdflib", "uv cache prune --ci", "uv pip show rdflib",
        ])
        #expect(commands.map(\.line) == [15, 16, 17, 18])
        #expect(commands.allSatisfy { $0.fields["section"] == "script" })

        let test = try config.requireJob("test")
        #expect(test.stage == "test")
        #expect(test.values("config.cache", "path") == [".uv-cache"])
        // No artifacts anywhere, so nothing is downloaded implicitly.
        #expect(test.facts("config.download").isEmpty)
    }

    @Test func includesAreMergedAndFactsPointIntoIncludedFiles() throws {
        let config = try ConfigFixtures.load(ConfigFixtures.gitlab)
        #expect(config.files == [".gitlab-ci.yml", "ci/templates.yml", "ci/jobs/lint.yml", "ci/jobs/test.yml"])
        #expect(config.stages == [".pre", "lint", "test", "build", "deploy", ".post"])
        #expect(config.jobs.map(\.name) == ["ruff", "mypy", "unit-tests", "integration-tests", "build-wheel", "pages"])
        // Hidden jobs are templates, not jobs.
        #expect(!config.jobs.contains { $0.name.hasPrefix(".") })

        let unit = try config.requireJob("unit-tests")
        #expect(unit.file == "ci/jobs/test.yml" && unit.line == 6)
        #expect(unit.stage == "test")
        // Two levels of extends: the image comes from .python-job through .tested-python.
        #expect(unit.facts("config.job").first?.fields["image"] == "python:${PYTHON_VERSION}-slim")
        let coverage = try #require(unit.fact("config.artifact", "path", "coverage.xml"))
        #expect(coverage.file == "ci/templates.yml" && coverage.line == 26)
        #expect(coverage.fields["when"] == "always" && coverage.fields["expire_in"] == "30 days")
        let junit = try #require(unit.fact("config.artifact", "report", "junit"))
        #expect(junit.fields["path"] == "report.xml" && junit.line == 24)

        let pytest = try #require(unit.fact("config.command", "section", "script"))
        #expect(pytest.file == "ci/templates.yml" && pytest.line == 19)
        // The anchored list inside before_script is flattened, and points at the anchor's lines.
        let before = unit.facts("config.command").filter { $0.fields["section"] == "before_script" }
        #expect(before.map { $0.fields["command"] ?? "" } == ["python -m venv .venv", "source .venv/bin/activate", "pip install -r requirements-dev.txt"])
        #expect(before.map(\.line) == [3, 4, 17])
    }

    @Test func jobCacheOverridesDefaultAndKeepsPolicy() throws {
        let config = try ConfigFixtures.load(ConfigFixtures.gitlab)
        let unit = try config.requireJob("unit-tests")
        let caches = unit.facts("config.cache")
        #expect(caches.map { $0.fields["path"] ?? "" } == [".venv", ".cache/pip"])
        #expect(caches.map { $0.fields["raw_path"] ?? "" } == [".venv", "$PIP_CACHE_DIR"])
        #expect(caches.allSatisfy { $0.fields["policy"] == "pull" && $0.fields["key"] == "venv-$PYTHON_VERSION" })
        #expect(caches.allSatisfy { $0.file == "ci/jobs/test.yml" && $0.line == 18 })

        // Default cache with a files-based key, for a job without its own.
        let wheel = try config.requireJob("build-wheel")
        let cache = try #require(wheel.facts("config.cache").first)
        #expect(cache.fields["key"] == "files: requirements.txt, requirements-dev.txt")
        #expect(cache.fields["path"] == ".cache/pip" && cache.fields["raw_path"] == "$PIP_CACHE_DIR")
        #expect(cache.fields["policy"] == "pull-push")
        #expect(cache.file == ".gitlab-ci.yml" && cache.line == 38)
    }

    @Test func mergeKeysApplyAnchoredMappings() throws {
        let config = try ConfigFixtures.load(ConfigFixtures.gitlab)
        let integration = try config.requireJob("integration-tests")
        let cache = try #require(integration.facts("config.cache").first)
        // `<<: *pip-cache` brings key and paths; the job's own `policy: pull` is kept.
        #expect(cache.fields["key"] == "pip-$CI_JOB_NAME")
        #expect(cache.fields["policy"] == "pull")
        #expect(cache.fields["path"] == ".cache/pip")
        #expect(cache.file == "ci/jobs/test.yml" && cache.line == 4)
    }

    @Test func referencesResolveAndUnresolvedOnesBecomeNotices() throws {
        let config = try ConfigFixtures.load(ConfigFixtures.gitlab)
        let ruff = try config.requireJob("ruff")
        #expect(ruff.facts("config.command").filter { $0.fields["section"] == "before_script" }.map { $0.fields["command"] ?? "" }
            == ["python -m venv .venv", "source .venv/bin/activate", "pip install -r requirements-dev.txt"])

        let mypy = try config.requireJob("mypy")
        let script = mypy.facts("config.command").filter { $0.fields["section"] == "script" }
        #expect(script.map { $0.fields["command"] ?? "" } == [
            "python -m venv .venv", "source .venv/bin/activate", "pip install -r requirements-dev.txt", "mypy --cache-dir $MYPY_CACHE_DIR src/",
        ])
        let check = try #require(mypy.fact("config.variable", "name", "PIP_DISABLE_PIP_VERSION_CHECK"))
        #expect(check.fields["value"] == "1")
        #expect(check.file == "ci/jobs/lint.yml" && check.line == 21)
        #expect(config.notices.contains { $0.hasPrefix("ci/jobs/lint.yml:24: !reference [.typing-setup, script]") })
    }

    @Test func skippedIncludesAreNamedInNotices() throws {
        let config = try ConfigFixtures.load(ConfigFixtures.gitlab)
        let notices = config.notices.joined(separator: "\n")
        #expect(notices.contains(".gitlab-ci.yml:5: the include of /security/sast.yml of project platform/ci-templates was not read"))
        #expect(notices.contains(".gitlab-ci.yml:9: the include of remote file https://gitlab.example.com/-/snippets/42/raw/main/notify-slack.yml"))
        #expect(notices.contains(".gitlab-ci.yml:10: the include of GitLab template Jobs/Secret-Detection.gitlab-ci.yml"))
        #expect(notices.contains(".gitlab-ci.yml:11: the include of CI/CD component $CI_SERVER_FQDN/components/sbom/generate@1.4.0"))
        #expect(notices.contains(".gitlab-ci.yml:12: local include ci/legacy.yml does not exist"))
        #expect(config.notices.count == 6)
    }

    @Test func variablePrecedenceAndInherit() throws {
        let config = try ConfigFixtures.load(ConfigFixtures.gitlab)
        // The job's own value wins over the global one, and points at the job's line.
        let pages = try config.requireJob("pages")
        let deploy = try #require(pages.fact("config.variable", "name", "DEPLOY_ENV"))
        #expect(deploy.fields["value"] == "production" && deploy.line == 67)
        // `inherit: variables: [DEPLOY_ENV]` keeps the other globals out.
        #expect(pages.values("config.variable", "name") == ["DEPLOY_ENV"])
        // `inherit: default: false`: no default cache or before_script.
        #expect(pages.facts("config.cache").isEmpty)
        #expect(!pages.facts("config.command").contains { $0.fields["section"] == "before_script" })
        #expect(pages.facts("config.job").first?.fields["image"] == "node:20-alpine")

        let wheel = try config.requireJob("build-wheel")
        #expect(wheel.fact("config.variable", "name", "DEPLOY_ENV")?.fields["value"] == "staging")
        #expect(wheel.facts("config.command").first?.fields == ["command": "python -V", "section": "before_script"])
        // Extends merges variables: the template's and the globals.
        let unit = try config.requireJob("unit-tests")
        #expect(unit.fact("config.variable", "name", "PIP_DISABLE_PIP_VERSION_CHECK")?.file == "ci/templates.yml")
        #expect(unit.fact("config.variable", "name", "PYTHON_VERSION")?.fields["value"] == "3.12")
    }

    @Test func secretNamedVariablesAreRedactedEverywhere() throws {
        let config = try ConfigFixtures.load(ConfigFixtures.gitlab)
        let unit = try config.requireJob("unit-tests")
        let token = try #require(unit.fact("config.variable", "name", "PYPI_TOKEN"))
        #expect(token.fields["value"] == "[REDACTED]")
        #expect(token.text == "PYPI_TOKEN: [REDACTED]")
        let password = try #require(unit.fact("config.variable", "name", "POSTGRES_PASSWORD"))
        #expect(password.fields["value"] == "[REDACTED]" && password.text == "POSTGRES_PASSWORD: [REDACTED]")
        // The same password inside another variable's URL is masked too.
        let url = try #require(unit.fact("config.variable", "name", "DATABASE_URL"))
        #expect(url.fields["value"] == "postgres://papertrail:[REDACTED]@postgres:5432/papertrail_test")
        for job in config.jobs {
            for fact in job.facts {
                let printed = fact.text.value + " " + fact.fields.values.joined(separator: " ")
                #expect(!printed.contains("pypi-AgEIcHlwaS5vcmcCJGQ0ZTM4ZjU5"))
                #expect(!printed.contains("ci-only-password"))
            }
        }
    }

    @Test func secretValuesEchoedInCommandsAreMasked() throws {
        let folder = TemporaryDirectory()
        folder.write(".gitlab-ci.yml", """
        variables:
          DEPLOY_KEY: s3cr3t-deploy-value
          Api_Credential: another-secret-value
        deploy:
          script:
            - 'curl -H "X-Key: s3cr3t-deploy-value" https://deploy.example.com'
            - echo another-secret-value | login
        """)
        let config = try CIConfig.load(path: folder.path)
        let deploy = try config.requireJob("deploy")
        #expect(deploy.fact("config.variable", "name", "Api_Credential")?.fields["value"] == "[REDACTED]")
        let commands = deploy.facts("config.command")
        try #require(commands.count == 2)
        #expect(commands[0].fields["command"] == #"curl -H "X-Key: [REDACTED]" https://deploy.example.com"#)
        #expect(commands[0].text == #"- 'curl -H "X-Key: [REDACTED]" https://deploy.example.com'"#)
        #expect(commands[1].fields["command"] == "echo [REDACTED] | login")
    }

    @Test func credentialsInIncludeURLsAreMaskedInNotices() throws {
        let folder = TemporaryDirectory()
        folder.write(".gitlab-ci.yml", """
        include:
          - remote: https://ci-bot:glpat-Xq3vL9mN2pR7sT4wZ8yB@gitlab.example.com/infra/ci/-/raw/main/base.yml
        build:
          script: [make]
        """)
        let config = try CIConfig.load(path: folder.path)
        #expect(config.notices.count == 1)
        #expect(config.notices.first?.contains("https://ci-bot:[REDACTED]@gitlab.example.com/infra/ci/-/raw/main/base.yml") == true)
        #expect(config.notices.first?.contains("glpat-") == false)
    }

    @Test func pathsExpandVariablesFromTheJob() throws {
        let folder = TemporaryDirectory()
        folder.write(".gitlab-ci.yml", """
        variables:
          CACHE_ROOT: $CI_PROJECT_DIR/.cache
          NPM_DIR: ${CACHE_ROOT}/npm
          SECRET_DIR: hidden
        build:
          variables:
            CACHE_ROOT: ${CI_PROJECT_DIR}/cache
          script: [npm ci]
          cache:
            paths:
              - $NPM_DIR
              - ${CI_PROJECT_DIR}/node_modules
              - $UNKNOWN/x
              - $SECRET_DIR/y
              - ./build/
        """)
        let config = try CIConfig.load(path: folder.path)
        let build = try config.requireJob("build")
        #expect(build.values("config.cache", "path") == ["cache/npm", "node_modules", "$UNKNOWN/x", "$SECRET_DIR/y", "build/"])
        #expect(build.values("config.cache", "raw_path") == ["$NPM_DIR", "${CI_PROJECT_DIR}/node_modules", "$UNKNOWN/x", "$SECRET_DIR/y", "./build/"])
        #expect(build.facts("config.cache").map(\.line) == [11, 12, 13, 14, 15])
        #expect(build.fact("config.cache", "path", "cache/npm")?.fields["key"] == "default")
        // A one-line flow script still gives a command fact.
        #expect(build.facts("config.command").first?.fields["command"] == "npm ci")
    }

    @Test func needsDependenciesAndImplicitDownloads() throws {
        let config = try ConfigFixtures.load(ConfigFixtures.gitlab)
        let wheel = try config.requireJob("build-wheel")
        let needs = try #require(wheel.facts("config.needs").first)
        #expect(needs.fields == ["needs": "unit-tests", "artifacts": "false", "optional": "false"])
        #expect(needs.line == 48)
        #expect(wheel.facts("config.download").map(\.fields) == [["from": "unit-tests", "artifacts": "false"]])

        let pages = try config.requireJob("pages")
        #expect(pages.facts("config.needs").first?.fields == ["needs": "build-wheel", "artifacts": "true", "optional": "false"])
        #expect(pages.facts("config.download").first?.fields == ["from": "build-wheel", "artifacts": "true"])

        // `dependencies: []` downloads nothing, even from what it needs.
        let integration = try config.requireJob("integration-tests")
        #expect(integration.facts("config.needs").first?.fields["optional"] == "true")
        #expect(integration.facts("config.download").map { $0.fields["artifacts"] } == ["false"])

        // Without needs or dependencies: artifacts of every earlier stage's jobs.
        let unit = try config.requireJob("unit-tests")
        let implicit = unit.facts("config.download")
        #expect(implicit.map(\.fields) == [["from": "ruff", "artifacts": "true", "implicit": "true"]])
        #expect(implicit.first?.line == unit.line)
    }

    @Test func multiLineScriptItemsGiveOneFactPerLine() throws {
        let folder = TemporaryDirectory()
        folder.write(".gitlab-ci.yml", """
        stages: [build]
        compile:
          stage: build
          script:
            - |
              ./configure --prefix=/usr

              make -j4
            - >
              echo done
        """)
        let config = try CIConfig.load(path: folder.path)
        let compile = try config.requireJob("compile")
        let commands = compile.facts("config.command")
        #expect(commands.map { $0.fields["command"] ?? "" } == ["./configure --prefix=/usr", "make -j4", "echo done"])
        #expect(commands.map(\.line) == [6, 8, 10])
        #expect(commands.map(\.text) == ["./configure --prefix=/usr", "make -j4", "echo done"])
        #expect(config.stages == [".pre", "build", ".post"])
    }

    @Test func includeFormsGlobsAndNesting() throws {
        let folder = TemporaryDirectory()
        folder.write(".gitlab-ci.yml", """
        include: ci/base.yml
        test:
          extends: .base
          script:
            - make test
        """)
        folder.write("ci/base.yml", """
        include:
          - /ci/parts/*.yml
          - 'https://example.com/ci.yml'
        .base:
          image: alpine:3.20
        """)
        folder.write("ci/parts/a.yml", "lint-a:\n  script: [echo a]\n")
        folder.write("ci/parts/b.yml", "lint-b:\n  script: [echo b]\ntest:\n  stage: build\n  image: debian:12\n")
        folder.write("ci/parts/readme.md", "not yaml: [")
        let config = try CIConfig.load(path: folder.path)
        #expect(config.files == [".gitlab-ci.yml", "ci/base.yml", "ci/parts/a.yml", "ci/parts/b.yml"])
        // Included files merge first, so their jobs come first.
        #expect(config.jobs.map(\.name) == ["lint-a", "lint-b", "test"])
        let test = try config.requireJob("test")
        // The including file overrides what included files set, key by key.
        #expect(test.stage == "build")
        #expect(test.facts("config.job").first?.fields["image"] == "debian:12")
        #expect(test.file == ".gitlab-ci.yml")
        #expect(config.notices == ["ci/base.yml:3: the include of remote file https://example.com/ci.yml was not read (logdx reads only files in the repository), so the jobs and settings it adds are missing from this analysis"])
    }

    @Test func specHeaderAndConfigPathNames() throws {
        let folder = TemporaryDirectory()
        let file = folder.write("ci/pipeline.yml", """
        spec:
          inputs:
            stage:
              default: test
        ---
        unit:
          stage: $[[ inputs.stage ]]
          script: [pytest]
        """)
        let config = try CIConfig.load(path: file)
        #expect(config.root == folder.path + "/ci")
        #expect(config.files == ["pipeline.yml"])
        #expect(config.jobs.map(\.name) == ["unit"])
        #expect(config.jobs.first?.line == 6)
    }

    @Test func extendsOfUnknownTemplateIsANotice() throws {
        let folder = TemporaryDirectory()
        folder.write(".gitlab-ci.yml", """
        build:
          extends: [.missing, .known]
          script: [make]
        .known:
          image: gcc:14
        """)
        let config = try CIConfig.load(path: folder.path)
        #expect(config.jobs.first?.facts("config.job").first?.fields["image"] == "gcc:14")
        #expect(config.notices == [".gitlab-ci.yml:2: build extends .missing, which no file read defines, so the settings it would inherit are missing"])
    }
}
