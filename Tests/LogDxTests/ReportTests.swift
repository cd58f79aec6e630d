import Foundation
import Testing
@testable import LogDx
import TestSupport

/// Reporters, SwiftLint-style: each renders the seed analysis to one golden file; the JSON one is
/// also checked against the published schema.
@Suite struct ReportTests {
    static let goldenDirectory = Repo.root + "/Tests/LogDxTests/Golden"

    func seedAnalysis() throws -> Analysis {
        // Paths relative to the repository keep the golden files independent of where it lives
        // (changing the working directory instead would race with tests running in parallel).
        var analysis = try diagnose([Repo.seed])
        let prefix = Repo.root + "/"
        func relative(_ path: String) -> String { path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path }
        func relativise(_ d: inout Diagnosis) {
            for i in d.evidence.indices { d.evidence[i].source = relative(d.evidence[i].source) }
            if let anchor = d.anchor { d.anchor?.source = relative(anchor.source) }
            for i in d.symptoms.indices { relativise(&d.symptoms[i]) }
        }
        for i in analysis.pipeline.jobs.indices { analysis.pipeline.jobs[i].source = relative(analysis.pipeline.jobs[i].source) }
        for i in analysis.diagnoses.indices { relativise(&analysis.diagnoses[i]) }
        for i in analysis.excerpts.indices { analysis.excerpts[i].source = relative(analysis.excerpts[i].source) }
        return analysis
    }

    func compare(_ actual: String, golden name: String) throws {
        let path = Self.goldenDirectory + "/" + name
        if ProcessInfo.processInfo.environment["LOGDX_RECORD"].map({ !$0.isEmpty && $0 != "0" }) == true {
            try FileManager.default.createDirectory(atPath: Self.goldenDirectory, withIntermediateDirectories: true)
            try actual.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        #expect(actual == expected, "\(name) differs from its golden file:\n\(RuleTester.firstDifference(expected, actual))")
    }

    @Test(arguments: [
        (OutputFormat.text, "seed.txt"), (.json, "seed.json"), (.markdown, "seed.md"), (.sarif, "seed.sarif"),
        (.junit, "seed.junit.xml"), (.codequality, "seed.codequality.json"), (.github, "seed.github.txt"),
        (.compact, "seed.compact.txt"),
    ])
    func goldenOutput(format: OutputFormat, golden: String) throws {
        try compare(format.renderer(color: false).render(try seedAnalysis()), golden: golden)
    }

    /// With `--config`, Code Quality issues point at the config (a file of the repository, which
    /// GitLab can show in the merge request), not at the log file (which is not in it): the
    /// config line among the evidence, else the failing job's definition.
    @Test func codeQualityPointsAtTheConfigWhenOneIsGiven() throws {
        let config = try CIConfig.load(path: Repo.fixtures + "/config/seed-uv/.gitlab-ci.yml")
        let analysis = try Diagnoser(rules: try RuleSet.load(from: [Repo.root + "/Rules"]))
            .diagnose([Repo.fixtures + "/pipelines/seed-uv-system-python"], config: config)
        let output = CodeQualityRenderer().render(analysis)
        try compare(output, golden: "seed-config.codequality.json")
        let issues = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]])
        let paths = issues.compactMap { ($0["location"] as? [String: Any])?["path"] as? String }
        #expect(paths.count == issues.count && paths.allSatisfy { $0 == ".gitlab-ci.yml" }, "\(paths)")
    }

    /// Planted secrets of every kind the redactor knows reach no output format.
    @Test func noSecretInAnyFormat() throws {
        let folder = TemporaryDirectory()
        let log = folder.write("deploy.log", """
        $ export GITLAB_TOKEN=glpat-AbCdEfGhIjKlMnOpQrSt
        $ git clone https://oauth2:glpat-ZyXwVuTsRqPoNmLkJiHg@gitlab.com/acme/app.git
        fatal: Authentication failed for 'https://oauth2:glpat-ZyXwVuTsRqPoNmLkJiHg@gitlab.com/acme/app.git/'
        AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
        error: upload with key AKIAIOSFODNN7EXAMPLE failed
        GITHUB_TOKEN: ghp_0123456789abcdefghijABCDEFGHIJ012345
        -----BEGIN OPENSSH PRIVATE KEY-----
        b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
        QyNTUxOQAAACDfakefakefakefakefakefakefakefakefakefakefakefakeAAAA
        -----END OPENSSH PRIVATE KEY-----
        error: could not connect with DB_PASSWORD=hunter2hunter2 to db.internal
        npm error 404 Not Found - GET https://npm:s3cretPass@registry.example.com/left-pad-x - Not found
        ERROR: Job failed: exit code 1
        """)
        let analysis = try diagnose([log])
        #expect(!analysis.diagnoses.isEmpty || !analysis.excerpts.isEmpty)
        let secrets = ["glpat-AbCd", "glpat-ZyX", "wJalrXUtnFEMI", "AKIAIOSFODNN7EXAMPLE", "ghp_0123", "b3BlbnNzaC1rZXkt",
                       "QyNTUxOQAAACD", "hunter2hunter2", "s3cretPass"]
        for format in OutputFormat.allCases {
            let output = format.renderer(color: false).render(analysis)
            for secret in secrets {
                #expect(!output.contains(secret), "\(format) output shows \(secret)")
            }
        }
    }

    /// The loopback API's secrets fixture: a GitLab trace with a secret of every listed kind
    /// (GitLab and GitHub tokens, an AWS key pair, a private key block, a password in a URL and on
    /// a command line, *PASSWORD*/*KEY*/*SECRET*/*TOKEN* variables), through every format.
    @Test func plantedSecretsOfEveryKindReachNoFormat() throws {
        let folder = Repo.fixtures + "/ci-api/gitlab-secrets"
        let secrets = try String(contentsOfFile: folder + "/planted-secrets.txt", encoding: .utf8)
            .split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        let log = try String(contentsOfFile: folder + "/deploy.log", encoding: .utf8)
        #expect(secrets.count >= 9 && secrets.allSatisfy { log.contains($0) })
        let analysis = try diagnose([folder + "/deploy.log"])
        #expect(!analysis.diagnoses.isEmpty)
        for format in OutputFormat.allCases {
            let output = format.renderer(color: false).render(analysis)
            for secret in secrets {
                #expect(!output.contains(secret), "\(format) output shows \(secret.prefix(8))…")
            }
        }
    }

    @Test func colourOnlyWhenAsked() throws {
        let analysis = try seedAnalysis()
        #expect(TextRenderer(color: true).render(analysis).contains("\u{1b}[1;31mERROR"))
        #expect(!TextRenderer(color: false).render(analysis).contains("\u{1b}"))
    }

    static func diagnosisSchema() throws -> JSONSchemaValidator {
        let data = try Data(contentsOf: URL(fileURLWithPath: Repo.root + "/Sources/LogDx/Report/diagnosis-v1.schema.json"))
        return JSONSchemaValidator(schema: JSONValue(foundation: try JSONSerialization.jsonObject(with: data)))
    }

    @Test func jsonFollowsTheSchema() throws {
        let schema = try Self.diagnosisSchema()
        for path in ["seed-uv-system-python", "seed-uv-venv-fixed", "seed-uv-github"] {
            let analysis = try diagnose([Repo.fixtures + "/pipelines/" + path])
            let document = try JSONSerialization.jsonObject(with: Data(JSONRenderer().render(analysis).utf8))
            let problems = schema.validate(JSONValue(foundation: document))
            #expect(problems.isEmpty, "\(path): \(problems.map(\.description).joined(separator: "; "))")
        }
        // With a config: evidence from .gitlab-ci.yml and fixes with patches (schema 1.2).
        let config = try CIConfig.load(path: Repo.fixtures + "/config/seed-uv/.gitlab-ci.yml")
        let analysis = try Diagnoser(rules: try RuleSet.load(from: [Repo.root + "/Rules"]))
            .diagnose([Repo.fixtures + "/pipelines/seed-uv-system-python"], config: config)
        let document = try JSONSerialization.jsonObject(with: Data(JSONRenderer().render(analysis).utf8))
        let problems = schema.validate(JSONValue(foundation: document))
        #expect(problems.isEmpty, "with config: \(problems.map(\.description).joined(separator: "; "))")
        let first = try #require((document as? [String: Any])?["diagnoses"] as? [[String: Any]]).first
        let evidence = first?["evidence"] as? [[String: Any]] ?? []
        #expect(evidence.contains { $0["origin"] as? String == "config" && $0["source"] as? String == ".gitlab-ci.yml" && $0["line"] as? Int == 2 })
        #expect((first?["fixes"] as? [[String: Any]] ?? []).contains { ($0["patch"] as? String)?.hasPrefix("--- a/.gitlab-ci.yml\n+++ b/.gitlab-ci.yml\n@@ ") == true })
    }

    /// `$schema` used to name https://logdx.dev/…, which no server answers; it is now the schema's
    /// path in the repository, and the schema's own `$id` says the same.
    @Test func theSchemaLinkNamesTheSchemaFileInTheRepository() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(JSONRenderer().render(try seedAnalysis()).utf8)) as? [String: Any])
        let link = try #require(object["$schema"] as? String)
        #expect(!link.contains("logdx.dev"))
        let data = try Data(contentsOf: URL(fileURLWithPath: Repo.root + "/" + link))
        let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(schema["$id"] as? String == link)
        for file in ["Rules/schema/events.schema.json", "Rules/schema/rule.schema.json"] {
            let rules = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Repo.root + "/" + file))) as? [String: Any]
            #expect(rules?["$id"] as? String == file)
        }
    }

    @Test func theSchemaRejectsWrongDocuments() throws {
        let good = try JSONSerialization.jsonObject(with: Data(JSONRenderer().render(try seedAnalysis()).utf8)) as! [String: Any]
        var bad = good
        var diagnoses = bad["diagnoses"] as! [[String: Any]]
        diagnoses[0]["severity"] = "fatal"
        diagnoses[0].removeValue(forKey: "evidence")
        diagnoses[0]["jobs"] = "uv-install"
        bad["diagnoses"] = diagnoses
        bad["extra"] = true
        let problems = try Self.diagnosisSchema().validate(JSONValue(foundation: bad)).map(\.description)
        #expect(problems.contains { $0.hasPrefix("$.diagnoses[0].severity: must be one of 'error', 'warning', 'info'") })
        #expect(problems.contains("$.diagnoses[0]: missing required key 'evidence'"))
        #expect(problems.contains("$.diagnoses[0].jobs: expected array, found text"))
        #expect(problems.contains("$.extra: unknown key 'extra'"))
    }

    @Test func seedJSONHasTheCrossJobRootCauseFirstWithEvidenceFromBothJobs() throws {
        let object = try JSONSerialization.jsonObject(with: Data(JSONRenderer().render(try seedAnalysis()).utf8)) as! [String: Any]
        #expect(object["schema_version"] as? String == "1.5")
        let pipeline = object["pipeline"] as! [String: Any]
        #expect(pipeline["format"] as? String == "gitlab-ci-local")
        let jobs = pipeline["jobs"] as! [[String: Any]]
        #expect(jobs.map { $0["name"] as! String } == ["uv-install", "test"])
        #expect(jobs.map { $0["status"] as! String } == ["success", "failed"])
        let first = (object["diagnoses"] as! [[String: Any]])[0]
        #expect(first["rule"] as? String == "python-packages-not-carried")
        #expect(first["severity"] as? String == "error")
        let evidenceJobs = Set((first["evidence"] as! [[String: Any]]).map { $0["job"] as! String })
        #expect(evidenceJobs == ["uv-install", "test"])
        let text = (first["title"] as! String) + (first["explanation"] as! String)
        for needle in ["rdflib", "uv-install", "test", "/usr/local", ".uv-cache"] {
            #expect(text.contains(needle), "the diagnosis must name \(needle)")
        }
    }
}
