import Foundation
import Testing

/// What the binary does when its surroundings fail it: an output that cannot be written, a rules
/// folder that is not there, a binary away from its rules, names that hold control characters.
/// Each answer is one line on standard error and a documented exit code, never a crash.
@Suite struct CLIFailureTests {
    static let devFull = "/dev/full"
    static let outputFull = "logdx: cannot write to standard output: No space left on device\n"

    /// A results database written by `logdx scan`, for the `report` runs.
    func scannedDatabase(in folder: String) throws -> String {
        let db = folder + "/logdx.sqlite"
        let scan = try CLIRunner.run(["scan", "--no-progress", "--db", db, "Fixtures/pipelines/seed-uv-github"])
        try #require(scan.status == 0, "\(scan.stderr)")
        return db
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: devFull), "needs /dev/full (Linux)"))
    func everyCommandWritingToAFullDeviceSaysSoInOneLineAndExitsTwo() throws {
        let folder = try CLIRunner.scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let db = try scannedDatabase(in: folder)
        let commands: [[String]] = [
            [CLIRunner.seed],
            ["diagnose", "--format", "json", CLIRunner.seed],
            ["events", CLIRunner.seed],
            ["rules", "list"],
            ["rules", "list", "--format", "json"],
            ["rules", "explain", "python-packages-not-carried"],
            ["rules", "lint"],
            ["report", "--db", db],
            ["report", "--db", db, "--format", "html"],
            ["scan", "--jsonl", "--no-progress", "--force", "--db", db, "Fixtures/pipelines/seed-uv-github"],
            ["--help"],
        ]
        for arguments in commands {
            let full = try #require(FileHandle(forWritingAtPath: Self.devFull))
            let result = try CLIRunner.run(arguments, stdout: full)
            #expect(result.reason == .exit, "\(arguments) ended by a signal")
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr == Self.outputFull, "\(arguments): \(result.stderr)")
        }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: devFull), "needs /dev/full (Linux)"))
    func aFailingStandardErrorEndsWithTwoAndNoCrash() throws {
        // Both streams full: nothing can be said, the exit code still tells.
        let full = try #require(FileHandle(forWritingAtPath: Self.devFull))
        let result = try CLIRunner.run(
            ["-c", #"exec "$0" "$@" 2>/dev/full"#, CLIRunner.binary, CLIRunner.seed], stdout: full, executable: "/bin/sh")
        #expect(result.reason == .exit)
        #expect(result.status == 2)
        // A message that cannot be written keeps the exit code of what it reported.
        let noRules = try CLIRunner.run(
            ["-c", #"exec "$0" "$@" 2>/dev/full"#, CLIRunner.binary, CLIRunner.seed],
            environment: ["LOGDX_RULES_DIR": "/no/such/Rules"], executable: "/bin/sh")
        #expect(noRules.reason == .exit)
        #expect(noRules.status == 3)
    }

    /// `logdx … | head` with SIGPIPE ignored (as some CI runners and Python's subprocess leave
    /// it): the write fails with EPIPE. With SIGPIPE at its default the signal ends logdx, as it
    /// does any Unix tool in a pipe (README, "Exit codes").
    @Test func aReaderThatWentAwayWithSigpipeIgnoredIsOneLineAndExitTwo() throws {
        for arguments in [[CLIRunner.seed], ["events", CLIRunner.seed], ["rules", "list"]] {
            let pipe = Pipe()
            try pipe.fileHandleForReading.close()
            let result = try CLIRunner.run(
                ["-c", #"trap '' PIPE; exec "$0" "$@""#, CLIRunner.binary] + arguments,
                stdout: pipe.fileHandleForWriting, executable: "/bin/sh")
            #expect(result.reason == .exit, "\(arguments) ended by a signal")
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr == "logdx: cannot write to standard output: Broken pipe\n", "\(arguments)")
        }
    }

    @Test func aMissingRulesFolderIsAUsageError() throws {
        let missing = "/no/such/rules"
        for arguments in [
            ["--rules", missing, CLIRunner.seed],
            ["rules", "lint", "--rules", missing],
            ["rules", "list", "--rules", missing],
            ["events", "--rules", missing, CLIRunner.seed],
            ["rules", "test", "--no-builtin-rules", "--rules", missing],
        ] {
            let result = try CLIRunner.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stdout.isEmpty, "\(arguments)")
            #expect(result.stderr == "logdx: --rules \(missing): no such folder. Pass a folder of rule and event files (YAML).\n", "\(arguments)")
        }
        let file = try CLIRunner.run(["--rules", "README.md", CLIRunner.seed])
        #expect(file.status == 2)
        #expect(file.stderr == "logdx: --rules README.md: is a file, not a folder. Put the rule files in a folder and pass the folder.\n")
        let fixtures = try CLIRunner.run(["rules", "test", "--fixtures", "/no/such/Fixtures"])
        #expect(fixtures.status == 2)
        #expect(fixtures.stderr == "logdx: --fixtures /no/such/Fixtures: no such folder.\n")
        let variable = try CLIRunner.run([CLIRunner.seed], environment: ["LOGDX_RULES_DIR": "/no/such/Rules"])
        #expect(variable.status == 3)
        #expect(variable.stderr.hasPrefix("logdx: LOGDX_RULES_DIR=/no/such/Rules is not a folder."))
    }

    /// A binary built or copied outside `.build/` of the checkout (another `--scratch-path`, a
    /// copy in ~/bin or a CI image) carries its rules: alone in an empty folder, run from there,
    /// it diagnoses the seed exactly as the checkout's binary does. `LOGDX_RULES_DIR` still
    /// replaces the built-in rules and `--rules` still adds to them.
    @Test func aBinaryAwayFromTheCheckoutHasItsRules() throws {
        let folder = try CLIRunner.scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let copy = folder + "/logdx"
        try FileManager.default.copyItem(atPath: CLIRunner.binary, toPath: copy)
        try FileManager.default.copyItem(atPath: CLIRunner.root + "/" + CLIRunner.seed, toPath: folder + "/seed.log")
        let original = try CLIRunner.run(["--format", "json", "seed.log"], directory: folder)
        let alone = try CLIRunner.run(["--format", "json", "seed.log"], executable: copy, directory: folder)
        #expect(alone.status == original.status)
        #expect(alone.stderr == original.stderr)
        #expect(alone.stdout == original.stdout)
        #expect(alone.stdout.contains("\"python-packages-not-carried\""), "\(alone.stdout.prefix(400))")
        let listed = try CLIRunner.run(["rules", "list", "--format", "json"], executable: copy, directory: folder)
        let fromDisk = try CLIRunner.run(["rules", "list", "--format", "json"], environment: ["LOGDX_RULES_DIR": CLIRunner.root + "/Rules"], executable: copy)
        #expect(listed.status == 0 && fromDisk.status == 0)
        #expect(Self.ids(listed.stdout) == Self.ids(fromDisk.stdout))
        #expect(!Self.ids(listed.stdout).isEmpty)
        // Replaced: a folder of no rules leaves none.
        let empty = folder + "/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let replaced = try CLIRunner.run(["rules", "list"], environment: ["LOGDX_RULES_DIR": empty], executable: copy, directory: folder)
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(replaced.stdout.hasPrefix("0 rules"), "\(replaced.stdout)")
        let withRules = try CLIRunner.run(["--no-builtin-rules", "--rules", "Rules", CLIRunner.seed], executable: copy)
        #expect(withRules.status == 0, "\(withRules.stderr)")
        #expect(withRules.stdout == (try CLIRunner.run([CLIRunner.seed], executable: copy)).stdout)
    }

    static func ids(_ json: String) -> [String] {
        guard let list = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] else { return [] }
        return list.compactMap { $0["id"] as? String }
    }

    /// Job names come from file names, which may hold newlines and escape sequences: shown
    /// raw, they forge output lines, recolour or clear the terminal, or split a workflow command.
    @Test func controlCharactersInJobNamesAreShownEscaped() throws {
        let folder = try CLIRunner.scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let source = CLIRunner.root + "/Fixtures/pipelines/seed-uv-system-python-runner/"
        let install = "uv\nERROR forged line\u{1b}[2J", test = "test\u{1b}]0;title\u{07}\u{202e}"
        try FileManager.default.copyItem(atPath: source + "uv-install.log", toPath: folder + "/\(install).log")
        try FileManager.default.copyItem(atPath: source + "test.log", toPath: folder + "/\(test).log")
        let shownInstall = #"uv\nERROR forged line\x1b[2J"#, shownTest = #"test\x1b]0;title\x07\u{202e}"#

        for format in ["text", "markdown", "github"] {
            let result = try CLIRunner.run(["--format", format, folder])
            #expect(result.status == 0, "\(format): \(result.stderr)")
            let out = result.stdout
            #expect(!out.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x07 || $0.value == 0x202e }, "\(format)")
            #expect(!out.split(separator: "\n").contains { $0.hasPrefix("ERROR forged") }, "\(format)")
            #expect(out.contains(shownInstall) && out.contains(shownTest), "\(format): \(out)")
            // The diagnosis still joins the two jobs, and its title names them escaped.
            #expect(out.contains("rdflib installed by job \(shownInstall)"), "\(format)")
            if format == "github" {
                #expect(out.split(separator: "\n").allSatisfy { $0.hasPrefix("::") }, "one workflow command per line: \(out)")
            }
        }
        // JSON carries the exact names; its encoder escapes them.
        let json = try CLIRunner.run(["--format", "json", folder])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let pipeline = object?["pipeline"] as? [String: Any]
        let jobs = (pipeline?["jobs"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
        #expect(Set(jobs) == [install, test])
        let events = try CLIRunner.run(["events", "--kind", "package.installed", folder])
        #expect(events.stdout.hasPrefix(shownInstall + ":"))
        #expect(!events.stdout.contains("\u{1b}"))
    }
}
