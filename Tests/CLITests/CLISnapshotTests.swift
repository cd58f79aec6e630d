import Foundation
import Testing

/// End-to-end tests of the built `logdx` binary, swift-argument-parser style: run it, compare with
/// recorded snapshots (LOGDX_RECORD=1 rewrites them; review the diff), check exit codes.
@Suite struct CLISnapshotTests {
    static let root = CLIRunner.root
    static let seed = CLIRunner.seed
    static var recording: Bool { ProcessInfo.processInfo.environment["LOGDX_RECORD"].map { !$0.isEmpty && $0 != "0" } ?? false }

    func run(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:]) throws -> CLIRunner.Result {
        try CLIRunner.run(arguments, stdin: stdin, environment: environment)
    }

    func snapshot(_ text: String, _ name: String) throws {
        let path = Self.root + "/Tests/CLITests/Snapshots/" + name
        if Self.recording {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == expected, "\(name) differs from its snapshot; rerun with LOGDX_RECORD=1 and review the diff")
    }

    @Test(arguments: [
        (["--help"], "help.txt"),
        (["diagnose", "--help"], "diagnose-help.txt"),
        (["ci", "--help"], "ci-help.txt"),
        (["rules", "--help"], "rules-help.txt"),
        // A fixed rule folder: the layout is pinned without a file to edit for every new rule.
        (["rules", "list", "--no-builtin-rules", "--rules", "Tests/CLITests/Snapshots/rules-sample"], "rules-list.txt"),
    ])
    func helpAndListings(arguments: [String], snapshot name: String) throws {
        let result = try run(arguments)
        #expect(result.status == 0)
        try snapshot(result.stdout, name)
    }

    /// The answers of issue 17's shapes as a user sees them at 100 columns: one finding for two
    /// failed jest tests, the compact form of the seed, and a paste no rule explains, whose
    /// summary must not read as all clear.
    @Test(arguments: [
        (["Fixtures/rules/javascript/jest-test-failed/gitlab-two-failures.log"], "jest-two-failures.txt"),
        (["--format", "compact", "Fixtures/pipelines/seed-uv-system-python/gitlab-ci-local.log"], "seed-compact.txt"),
    ])
    func answerShapes(arguments: [String], snapshot name: String) throws {
        let result = try run(arguments)
        #expect(result.status == 0)
        try snapshot(result.stdout, name)
    }

    @Test func aPasteNoRuleExplainsSaysSoInItsSummary() throws {
        let paste = "$ make\nmake: *** [all] Error 2\nERROR: Job failed: exit code 1\n"
        let result = try run(["-"], stdin: Data(paste.utf8))
        #expect(result.status == 0)
        try snapshot(result.stdout, "unexplained-paste.txt")
    }

    @Test func bareLogdxDiagnosesAFile() throws {
        let result = try run([Self.seed])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        try snapshot(result.stdout, "seed.txt")
        #expect(!result.stdout.contains("\u{1b}"), "no colour when stdout is not a terminal")
    }

    @Test func pastedLogsOnStandardInputGiveSchemaJSON() throws {
        let seed = try Data(contentsOf: URL(fileURLWithPath: Self.root + "/" + Self.seed))
        let result = try run(["--format", "json"], stdin: seed)
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        #expect(object["schema_version"] as? String == "1.5")
        let first = (object["diagnoses"] as! [[String: Any]])[0]
        #expect(first["rule"] as? String == "python-packages-not-carried")
        let evidence = first["evidence"] as! [[String: Any]]
        #expect(Set(evidence.map { $0["job"] as! String }) == ["uv-install", "test"])
        #expect(Set(evidence.map { $0["source"] as! String }) == ["-"])
    }

    @Test func colourWhenForcedAndNeverWithNoColorOnATerminalChoice() throws {
        #expect(try run(["--color", "always", Self.seed]).stdout.contains("\u{1b}[1;31mERROR"))
        #expect(!(try run(["--color", "auto", Self.seed], environment: ["NO_COLOR": "1"]).stdout.contains("\u{1b}")))
    }

    @Test func failOnIsOptIn() throws {
        #expect(try run(["--fail-on", "error", Self.seed]).status == 1)
        #expect(try run(["--fail-on", "error", "Fixtures/pipelines/seed-uv-venv-fixed"]).status == 0)
        #expect(try run([Self.seed]).status == 0)
    }

    @Test func inputErrorsExitWithTwoAndSayWhatToDo() throws {
        let missing = try run(["no/such/job.log"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "logdx: no/such/job.log: no such file or directory. Pass log files, folders of job logs, or - for standard input.\n")
        let empty = try run([], stdin: Data())
        #expect(empty.status == 2)
        #expect(empty.stderr.contains("no log lines to analyse"))
        let usage = try run(["--format", "yaml", Self.seed])
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("--format"))
    }

    @Test func brokenRulesExitWithThreeNamingFileRuleAndLine() throws {
        let folder = NSTemporaryDirectory() + "logdx-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try """
        id: broken-rule
        ecosystem: demo
        severity: error
        summary: A rule with a mistake.
        title: '{{m.package}} missing'
        explanation: x
        fixes: [{ summary: x }]
        match:
          - as: m
            event: package.mising
        """.write(toFile: folder + "/broken-rule.yaml", atomically: true, encoding: .utf8)
        let result = try run(["--rules", folder, Self.seed])
        #expect(result.status == 3)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("broken-rule.yaml:9: rule 'broken-rule': unknown event kind 'package.mising'"))
        #expect(result.stderr.contains("did you mean 'package.missing'?"))
    }

    /// The command end to end on one rule: the whole library's fixtures run once per `make test`,
    /// in `RuleFixtureTests`.
    @Test func rulesTestRunsOneRulesCasesAndRulesListHasAJSONForm() throws {
        let test = try run(["rules", "test", "--rule", "python-packages-not-carried"])
        #expect(test.status == 0, "\(test.stdout)")
        #expect(test.stdout.hasSuffix(" passed, 0 failed\n"))
        let list = try run(["rules", "list", "--format", "json"])
        let rules = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(rules.count >= 100)
        for rule in rules {
            for key in ["id", "ecosystem", "severity", "title"] { #expect(rule[key] is String, "\(key) missing in \(rule)") }
        }
        // The text listing of the built-in rules says what the JSON says: each rule once, under
        // its ecosystem, and the totals.
        let text = try run(["rules", "list"]).stdout
        let ids = rules.compactMap { $0["id"] as? String }
        for id in ids { #expect(text.components(separatedBy: "\n  \(id) ").count == 2, "\(id) is not listed once") }
        let ecosystems = Set(rules.compactMap { $0["ecosystem"] as? String })
        #expect(text.contains("\n\(ids.count) rules in \(ecosystems.count) ecosystems, "), "\(text.suffix(200))")
    }

    @Test func eventsShowsWhatRulesSee() throws {
        let result = try run(["events", "--kind", "package.installed", Self.seed])
        #expect(result.status == 0)
        #expect(result.stdout == """
        uv-install:19  package.installed  installer=uv pip install location=/usr/local package=pyparsing tool=uv venv_command=uv venv --allow-existing version=3.2.1  (uv-installed-package)
        uv-install:20  package.installed  installer=uv pip install location=/usr/local package=rdflib tool=uv venv_command=uv venv --allow-existing version=7.1.1  (uv-installed-package)

        """)
    }
}
