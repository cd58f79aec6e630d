import Foundation
import Testing
@testable import LogDx
import TestSupport

/// Damaged configurations: loading either succeeds or throws a `CIConfigError`, never crashes,
/// and every patch the patcher returns reads back with the change.
@Suite struct ConfigRobustnessTests {
    /// A fixed-seed generator, so a failure reproduces.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(max(bound, 1)))
        }
    }

    static let pieces = [" ", "\n", "- ", ": ", "[", "]", "{", "}", "&a ", "*a", "<<: *a\n", "!reference [a, b]", "'", "\"", "#", "\t", "|\n", "  ", "\r\n", "é"]

    @Test func mutatedFixturesNeverCrash() throws {
        let sources = [
            (ConfigFixtures.seed + "/.gitlab-ci.yml", ".gitlab-ci.yml"),
            (ConfigFixtures.gitlab + "/ci/jobs/test.yml", ".gitlab-ci.yml"),
            (ConfigFixtures.github + "/.github/workflows/ci.yml", ".github/workflows/ci.yml"),
        ]
        var random = Generator(state: 20_250_107)
        var patches = 0
        for round in 0..<300 {
            let (source, name) = sources[round % sources.count]
            var text = Array(try String(contentsOfFile: source, encoding: .utf8).unicodeScalars)
            for _ in 0...random.next(3) {
                let at = random.next(text.count)
                switch random.next(3) {
                case 0: text.removeSubrange(at..<min(text.count, at + 1 + random.next(8)))
                case 1: text.insert(contentsOf: Array(Self.pieces[random.next(Self.pieces.count)].unicodeScalars), at: at)
                default: if text.count > 1 { text.swapAt(at, random.next(text.count)) }
                }
            }
            let folder = TemporaryDirectory()
            folder.write(name, String(String.UnicodeScalarView(text)))
            guard let config = try? CIConfig.load(path: folder.path) else { continue }
            let job = config.jobs.isEmpty ? "none" : config.jobs[random.next(config.jobs.count)].name
            let edits: [ConfigEdit] = [
                .unsetVariable(name: "UV_SYSTEM_PYTHON"), .setVariable(name: "UV_LINK_MODE", value: "copy"),
                .addCachePath(path: ".venv", job: job), .addArtifactPath(path: "out/", job: job),
                .addScriptLine(job: job, line: "echo ready", before: "p"),
            ]
            for edit in edits {
                guard let patch = ConfigPatcher(config: config).patch([edit]) else { continue }
                patches += 1
                var texts: [String: String] = [:]
                for change in patch.changes { texts[change.path] = change.patched }
                #expect(throws: Never.self, "\(edit) on round \(round)") { try CIConfig.load(path: folder.path, overrides: texts) }
            }
        }
        #expect(patches > 100)
    }

    @Test func secretLookingScriptLinesArePatched() throws {
        let config = try ConfigFixtures.load(ConfigFixtures.seed)
        let patch = try #require(ConfigPatcher(config: config).patch([.addScriptLine(job: "test", line: "export UV_INDEX_TOKEN=abcd1234efgh", before: nil)]))
        #expect(patch.diff.contains("+    - export UV_INDEX_TOKEN=abcd1234efgh\n"))
        // The fact shows it masked.
        let fixed = try reload(config, patch)
        #expect(try fixed.requireJob("test").facts("config.command").first?.fields["command"] == "export UV_INDEX_TOKEN=[REDACTED]")
    }
}
