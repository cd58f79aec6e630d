import Foundation
import Testing

/// The text output fits the terminal it is read on, and the compact format is one finding per
/// line in the shape editors and review bots already parse.
@Suite struct CLIOutputShapeTests {
    /// The explanation paragraph of the seed's first finding: the lines between the rule line and
    /// the evidence heading.
    static func explanation(_ output: String) -> [Substring] {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        guard let rule = lines.firstIndex(where: { $0.hasPrefix("  rule ") }),
              let evidence = lines[rule...].firstIndex(of: "  Evidence") else { return [] }
        return lines[(rule + 1)..<evidence].filter { !$0.isEmpty }
    }

    @Test func proseWrapsToColumns() throws {
        let result = try CLIRunner.run([CLIRunner.seed], environment: ["COLUMNS": "60"])
        let prose = Self.explanation(result.stdout)
        #expect(prose.count > 5)
        #expect(prose.allSatisfy { $0.count <= 60 }, "\(prose.filter { $0.count > 60 })")
    }

    @Test func proseIsNotWrappedWhenPipedWithoutColumns() throws {
        let result = try CLIRunner.run([CLIRunner.seed], environment: ["COLUMNS": ""])
        let prose = Self.explanation(result.stdout)
        #expect(prose.count == 1)
        #expect(prose.first?.hasSuffix("not installed packages.") == true)
    }

    @Test func aVeryWideTerminalStillGetsReadableLines() throws {
        let result = try CLIRunner.run([CLIRunner.seed], environment: ["COLUMNS": "400"])
        let prose = Self.explanation(result.stdout)
        #expect(prose.count > 1)
        #expect(prose.allSatisfy { $0.count <= 120 })
    }

    @Test func compactIsOneLinePerFindingInCompilerShape() throws {
        let result = try CLIRunner.run(["--format", "compact", CLIRunner.seed])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        let shape = try Regex(#"^[^:\s]+:\d+: (error|warning|note): .+ \[[a-z0-9-]+\]$"#)
        for line in lines { #expect(line.wholeMatch(of: shape) != nil, "\(line)") }
        #expect(lines.first?.hasPrefix("uv-install:20: error: rdflib installed by job uv-install") == true)
    }

    @Test func compactNamesAFailedJobNoRuleExplains() throws {
        let log = "$ make\nmake: *** [all] Error 2\nERROR: Job failed: exit code 1\n"
        let result = try CLIRunner.run(["--format", "compact", "-"], stdin: Data(log.utf8))
        #expect(result.stdout == "the pasted log:2: error: No rule explains why the pasted log failed: make: *** [all] Error 2 [unexplained]\n")
    }

    /// npm 10's E404 wording, pasted: standard input is "the pasted log" in prose, never "job the
    /// pasted log".
    @Test func aPasteIsNotCalledAJob() throws {
        let paste = """
        npm ERR! code E404
        npm ERR! 404 Not Found - GET https://registry.npmjs.org/expresss - Not found
        npm ERR! 404  'expresss@*' is not in this registry.

        """
        let result = try CLIRunner.run(["-"], stdin: Data(paste.utf8))
        #expect(result.stdout.contains("E404 in the pasted log"))
        #expect(result.stdout.contains("rule npm-package-not-found · the pasted log"))
        #expect(!result.stdout.contains("job the pasted log"))
    }
}
