import Foundation
import Testing

/// What a command-line user expects of any tool: help that shows the options of the default
/// command, a suggestion for a mistyped subcommand, filters that refuse what cannot match,
/// machine-readable output, completions and a man page.
@Suite struct CLIConventionsTests {
    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> CLIRunner.Result {
        try CLIRunner.run(arguments, environment: environment)
    }

    func snapshot(_ text: String, _ name: String) throws {
        let path = CLIRunner.root + "/Tests/CLITests/Snapshots/" + name
        if CLISnapshotTests.recording {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == expected, "\(name) differs from its snapshot; rerun with LOGDX_RECORD=1 and review the diff")
    }

    /// `logdx FILE` is `logdx diagnose FILE`, so `logdx --help` lists diagnose's options too.
    @Test func rootHelpShowsTheDiagnoseOptions() throws {
        let result = try run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("DIAGNOSE OPTIONS"))
        for option in ["--format", "--fail-on", "--baseline", "--config", "--rules"] {
            #expect(result.stdout.contains(option), "\(option) missing from logdx --help")
        }
        #expect(try run(["-h"]).stdout == result.stdout)
    }

    @Test(arguments: [
        (["rule", "list"], "rules"), (["diagnoes", "x.log"], "diagnose"), (["event", "--kind", "x"], "events"),
        (["reprot"], "report"),
    ])
    func aMistypedSubcommandSuggestsTheNearest(arguments: [String], nearest: String) throws {
        let result = try run(arguments)
        #expect(result.status == 2)
        #expect(result.stderr == "logdx: '\(arguments[0])' is not a logdx command (nor a file). Did you mean '\(nearest)'? See `logdx --help`.\n")
    }

    @Test func aFileNamedLikeACommandIsStillDiagnosed() throws {
        let folder = try CLIRunner.scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "ERROR: Job failed: exit code 1\n".write(toFile: folder + "/rule", atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["rule"], directory: folder)
        #expect(result.status == 0, "\(result.stderr)")
        // A word far from every command is a missing file, as before.
        let missing = try run(["pipeline.log"])
        #expect(missing.stderr.hasPrefix("logdx: pipeline.log: no such file or directory."))
    }

    @Test func eventsRefusesAKindNoDefinitionProduces() throws {
        let result = try run(["events", "--kind", "package.instaled", CLIRunner.seed])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("logdx: --kind package.instaled: no event definition has this kind. Did you mean 'package.installed'? The kinds: "))
        #expect(result.stderr.contains(" command, "))
    }

    @Test func eventsAsJSONLines() throws {
        let result = try run(["events", "--kind", "package.installed", "--format", "jsonl", CLIRunner.seed])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["job"] as? String == "uv-install")
        #expect(first["line"] as? Int == 19)
        #expect(first["kind"] as? String == "package.installed")
        #expect(first["definition"] as? String == "uv-installed-package")
        #expect((first["fields"] as? [String: String])?["package"] == "pyparsing")
        #expect((first["text"] as? String)?.contains("pyparsing") == true)
    }

    /// `--rules Rules` beside the built-in Rules loaded every definition twice: 672 "duplicate
    /// event definition id" errors and exit 3.
    @Test func theBuiltInRulesFolderGivenAgainIsLoadedOnce() throws {
        for spelling in ["Rules", "./Rules/", CLIRunner.root + "/Rules"] {
            let result = try run(["--rules", spelling, CLIRunner.seed])
            #expect(result.status == 0, "\(spelling): \(result.stderr.prefix(300))")
            #expect(!result.stderr.contains("duplicate"))
            #expect(result.stdout.contains("rdflib installed by job uv-install"))
        }
    }

    @Test func completionsAndTheManPageComeFromTheHelp() throws {
        for shell in ["bash", "zsh", "fish"] {
            let result = try run(["--generate-completion-script", shell])
            #expect(result.status == 0)
            #expect(result.stdout.contains("diagnose") && result.stdout.contains("rules"), "\(shell)")
        }
        let dump = try run(["--experimental-dump-help"])
        let folder = try CLIRunner.scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try dump.stdout.write(toFile: folder + "/help.json", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "python3 '\(CLIRunner.root)/Tests/Tools/make_manpage.py' < help.json > logdx.1"]
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let page = try String(contentsOfFile: folder + "/logdx.1", encoding: .utf8)
        #expect(page.hasPrefix(".TH LOGDX 1"))
        for section in [".SH NAME", ".SH LOGDX DIAGNOSE", ".SH LOGDX CI", ".SH LOGDX RULES LIST", "\\fB--fail-on\\fR \\fIseverity\\fR"] {
            #expect(page.contains(section), "\(section) missing from the man page")
        }
    }
}
