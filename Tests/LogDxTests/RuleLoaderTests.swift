import Foundation
import Testing
@testable import LogDx
import TestSupport

/// A broken rule file must name the file, the rule and the line, and say how to fix it.
@Suite struct RuleLoaderTests {
    static let events = """
    events:
      - id: demo-missing
        kind: demo.missing
        pattern: '^missing: (?<name>\\S+)$'
        examples: ['missing: x']
      - id: demo-installed
        kind: demo.installed
        pattern: '^installed: (?<name>\\S+)$'
        examples: ['installed: x']
    """

    func load(rule file: String, _ text: String) -> RuleLoadErrors? {
        let folder = TemporaryDirectory()
        folder.write("events/demo.yaml", Self.events)
        folder.write(file, text)
        do {
            _ = try RuleSet.load(from: [folder.path])
            return nil
        } catch {
            return error
        }
    }

    func rule(_ match: String, title: String = "'{{m.name}} is missing'", extra: String = "") -> String {
        """
        id: demo-rule
        ecosystem: demo
        severity: error
        summary: A demo rule.
        title: \(title)
        explanation: '{{m.name}} is missing.'
        fixes:
          - summary: Install it.
        match:
        \(match)
        \(extra)
        """
    }

    @Test func theBuiltInRulesLoad() throws {
        let set = try RuleSet.load(from: [Repo.rules])
        #expect(set.rules.count >= 3)
        #expect(set.events.count >= 10)
    }

    @Test func badRegexNamesFileRuleLineAndOffset() throws {
        let errors = try #require(load(rule: "bad-regex.yaml", """
        events:
          - id: broken-pattern
            kind: demo.broken
            pattern: '^Package(s not found'
            examples: ['x']
        """))
        let error = try #require(errors.errors.first)
        #expect(error.file.hasSuffix("bad-regex.yaml"))
        #expect(error.rule == "broken-pattern")
        #expect(error.line == 4)
        #expect(error.message.contains("invalid regular expression: missing closing parenthesis"))
        #expect(error.description.contains("^Package(s not found\n"))
        #expect(error.description.contains("fix:"))
    }

    @Test func unknownEventKindSuggestsTheClosest() throws {
        let errors = try #require(load(rule: "demo-rule.yaml", rule("  - as: m\n    event: demo.mising")))
        let error = try #require(errors.errors.first)
        #expect(error.rule == "demo-rule")
        #expect(error.line == 10)
        #expect(error.message == "unknown event kind 'demo.mising'")
        #expect(error.hint?.contains("did you mean 'demo.missing'?") == true)
    }

    @Test func unboundVariableInATemplate() throws {
        let errors = try #require(load(rule: "demo-rule.yaml", rule("  - as: m\n    event: demo.missing", title: "'{{installed.name}} is missing'")))
        #expect(errors.errors.contains { $0.message.contains("'{{installed.name}}' but 'installed' is not bound") && $0.rule == "demo-rule" && $0.line == 1 })
    }

    /// Found by `make fuzz` (target rules): an empty or dot-only path in `group_by` or a
    /// placeholder crashed the loader on an array index instead of naming the rule.
    @Test(arguments: ["group_by: ['']", "group_by: ['.']", "group_by: ['.name']"])
    func emptyBindingPathIsAnErrorNotACrash(groupBy: String) throws {
        let errors = try #require(load(rule: "demo-rule.yaml", rule("  - as: m\n    event: demo.missing", extra: groupBy)))
        #expect(errors.errors.contains { $0.rule == "demo-rule" && $0.message.contains("group_by") })
    }

    @Test func dotOnlyPlaceholderIsAnErrorNotACrash() throws {
        let errors = try #require(load(rule: "demo-rule.yaml", rule("  - as: m\n    event: demo.missing", title: "'{{.}} is missing'")))
        #expect(errors.errors.contains { $0.rule == "demo-rule" && $0.message.contains("the title") })
    }

    @Test func conditionsMayOnlyUseEarlierBindings() throws {
        let match = """
          - as: m
            event: demo.missing
            where:
              name: '{{i.name}}'
          - as: i
            event: demo.installed
        """
        let errors = try #require(load(rule: "demo-rule.yaml", rule(match)))
        let error = try #require(errors.errors.first)
        #expect(error.line == 13)
        #expect(error.message.contains("'i' is not bound"))
        #expect(error.hint?.contains("only use entries listed before it") == true)
    }

    @Test func unknownFieldIsReported() throws {
        let errors = try #require(load(rule: "demo-rule.yaml", rule("  - as: m\n    event: demo.missing", title: "'{{m.version}}'")))
        #expect(errors.errors.contains { $0.message.contains("have no field 'version'") && $0.hint?.contains("name") == true })
    }

    @Test func typoInAKeySuggestsTheRightOne() throws {
        let errors = try #require(load(rule: "demo-rule.yaml", rule("  - as: m\n    event: demo.missing", extra: "explaination: oops")))
        let error = try #require(errors.errors.first)
        #expect(error.message == "unknown key 'explaination' in a rule")
        #expect(error.hint?.hasPrefix("did you mean 'explanation'?") == true)
        #expect(error.line == 12)
    }

    @Test func idMustMatchTheFileName() throws {
        let errors = try #require(load(rule: "other-name.yaml", rule("  - as: m\n    event: demo.missing")))
        #expect(errors.errors.first?.message == "the id 'demo-rule' differs from the file name 'other-name'")
        #expect(errors.errors.first?.line == 1)
    }

    @Test func yamlSyntaxErrorHasALine() throws {
        let errors = try #require(load(rule: "demo-rule.yaml", "id: demo-rule\nmatch:\n  - as: m\n     event: [unclosed\n"))
        let error = try #require(errors.errors.first)
        #expect(error.message.hasPrefix("invalid YAML"))
        #expect(error.line != nil)
    }

    @Test func everyProblemIsReportedAtOnce() throws {
        let folder = TemporaryDirectory()
        folder.write("events/demo.yaml", Self.events)
        folder.write("a.yaml", "id: a\n")
        folder.write("b.yaml", "id: b\n")
        do {
            _ = try RuleSet.load(from: [folder.path])
            Issue.record("incomplete rules must not load")
        } catch {
            #expect(Set(error.errors.compactMap(\.rule)) == ["a", "b"])
        }
    }

    @Test func eventDefinitionsNeedExamples() throws {
        let errors = try #require(load(rule: "x.yaml", "events:\n  - id: no-examples\n    kind: demo.x\n    pattern: 'x'\n"))
        #expect(errors.errors.first?.message == "event definition has no examples")
    }
}

@Suite struct TemplateTests {
    @Test func aGitHubExpressionInATemplateIsTextNotAPlaceholder() throws {
        let template = try Template("key: ${{ runner.os }}-{{saved.key}}")
        #expect(template.references.map(\.path) == ["saved.key"])
        #expect(template.render { $0.path == "saved.key" ? ["protoc-29.3"] : [] } == "key: ${{ runner.os }}-protoc-29.3")
    }

    @Test func valuesAndSections() throws {
        let template = try Template("{{a.x}} in {{b.y}}{{#c}}, carried {{c.path}}{{/c}}{{^c}}, nothing carried{{/c}}.")
        let values: [String: [String]] = ["a.x": ["rdflib"], "b.y": ["test"], "c.path": [".uv-cache", ".venv", "dist"], "c": ["x"]]
        #expect(template.render { values[$0.path] ?? [] } == "rdflib in test, carried .uv-cache, .venv and dist.")
        #expect(template.render { $0.binding == "c" ? [] : values[$0.path] ?? [] } == "rdflib in test, nothing carried.")
        #expect(Set(template.references.map(\.path)) == ["a.x", "b.y", "c", "c.path"])
    }

    @Test(arguments: [("{{a.x", Template.ParseError.unclosedPlaceholder), ("{{#a}}x", .unclosedSection("a")), ("x{{/a}}", .unexpectedClose("a")), ("{{}}", .emptyPlaceholder)])
    func malformed(source: String, error: Template.ParseError) {
        #expect(throws: error) { try Template(source) }
    }
}

@Suite struct ProjectPathsTests {
    let gitlab = ProjectPaths(projectDirectories: ["/builds/kg-lab/rdf-tools"])
    let unknown = ProjectPaths(projectDirectories: [])

    @Test(arguments: [
        ("/usr/local", true), ("~/.local", true), ("$HOME/.cache", true), ("/root/.local/lib", true),
        ("/builds/kg-lab/rdf-tools/.venv", false), (".venv", false), ("./venv", false), ("", false),
        ("/opt/hostedtoolcache/Python/3.11.11/x64", true),
    ])
    func outsideProject(path: String, outside: Bool) {
        #expect(gitlab.isOutsideProject(path) == outside)
    }

    @Test func knownBuildRootsCountAsInsideWhenTheDirectoryIsUnknown() {
        #expect(!unknown.isOutsideProject("/gcl-builds/.venv"))
        #expect(!unknown.isOutsideProject("/home/runner/work/repo/repo/.venv"))
        #expect(unknown.isOutsideProject("/usr/lib/python3/dist-packages"))
    }

    @Test(arguments: [
        (".venv", "/builds/kg-lab/rdf-tools/.venv/lib/python3.11/site-packages", true),
        ("$CI_PROJECT_DIR/.venv", ".venv", true),
        (".uv-cache", "/usr/local", false),
        ("vendor/**/*.rb", "vendor/bundle", true),
        ("./.venv/", ".venv", true),
        (".venv", ".venv-other", false),
    ])
    func covers(container: String, target: String, expected: Bool) {
        #expect(gitlab.covers(container, target) == expected)
    }
}

@Suite struct SecretRedactorTests {
    let redactor = SecretRedactor()

    @Test(arguments: [
        "https://oauth2:glpat-AbCdEfGhIjKlMnOpQrSt@gitlab.com/group/repo.git",
        "Authorization: Bearer ghp_0123456789abcdefghijABCDEFGHIJ0123",
        "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
        "token=glcbt-64_abcdef123456",
        "TWINE_PASSWORD=s3cr3t-Value!",
        "NPM_TOKEN: npm_AbCdEf0123456789",
        "-----BEGIN OPENSSH PRIVATE KEY-----",
        "using github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
        "$ docker login -u deploy -p Pa55w0rdValue registry.example.com",
        "$ helm registry login ghcr.io --username bot --password=Pa55w0rdValue",
        "$ twine upload --username __token__ --password 'Pa55w0rdValue' dist/*",
        "$ mysql -h db -u root -pPa55w0rdValue app < schema.sql",
        "$ vault login --token=hvs.Pa55w0rdValue",
        "SSHKEY=Pa55w0rdValue",
        "GCP_CREDENTIALS: Pa55w0rdValue",
    ])
    func secretsAreMasked(line: String) {
        let redacted = redactor.redact(line)
        #expect(redacted.contains(SecretRedactor.mask), "nothing masked in \(redacted)")
        for secret in ["glpat-AbCdEf", "ghp_0123", "AKIAIOSFODNN7EXAMPLE", "glcbt-64_abc", "s3cr3t-Value", "npm_AbCdEf", "PRIVATE KEY-----", "github_pat_11ABC", "Pa55w0rd"] {
            #expect(!redacted.contains(secret), "\(secret) survived in \(redacted)")
        }
    }

    @Test(arguments: [
        "Cache restored from key: uv-Linux-3f1c2a",
        "Checking cache for test-protected...",
        "warning: Package(s) not found for: rdflib",
        "Using Python 3.11.11 environment at: /usr/local",
        "$ echo \"$CI_REGISTRY_PASSWORD\" | docker login -u \"$CI_REGISTRY_USER\" --password-stdin $CI_REGISTRY",
        "$ mkdir -p build/output && ssh -p 2222 deploy@host",
        "$ logdx ci --token-env READ_API_TOKEN --mr-note",
    ])
    func ordinaryLinesAreUntouched(line: String) {
        #expect(redactor.redact(line) == line)
    }
}
