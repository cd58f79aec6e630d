import Foundation
import Testing
@testable import LogDx
import TestSupport

/// The Vectorscan prefilter must find every event the literal prefilter found, with the same
/// fields: PCRE2 confirms both, so any difference is a line the new prefilter failed to hand over.
@Suite struct PrefilterEquivalenceTests {
    static let literalEngine = CompiledEvents(rules: Repo.builtInRules, kinds: nil, engine: .literals)
    static let vectorscanEngine = CompiledEvents(rules: Repo.builtInRules, kinds: nil, engine: .vectorscan)
    /// The corpus generator shared next to the repository (as `make bench` uses it).
    static let generator = Repo.root + "/../shared/tools/gen_corpus.py"

    func events(_ path: String, _ compiled: CompiledEvents) throws -> [Event] {
        var tokenizer = Tokenizer(compiled: compiled)
        _ = try PipelineReader().read([path], into: &tokenizer)
        return tokenizer.store.events
    }

    func logFiles(under root: String) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: root)
        var files: [String] = []
        while let name = enumerator?.nextObject() as? String {
            if name.hasSuffix(".log") { files.append(root + "/" + name) }
        }
        return files.sorted()
    }

    func expectSameEvents(in files: [String]) throws {
        var compared = 0
        for file in files {
            let before = try events(file, Self.literalEngine)
            let after = try events(file, Self.vectorscanEngine)
            compared += before.count
            if before != after {
                let missing = before.filter { !after.contains($0) }.prefix(3)
                let extra = after.filter { !before.contains($0) }.prefix(3)
                Issue.record("\(file): \(before.count) events before, \(after.count) after; missing \(missing.map { "\($0.definition)@\($0.line)" }), extra \(extra.map { "\($0.definition)@\($0.line)" })")
            }
        }
        #expect(compared > 0)
    }

    @Test func vectorscanTakesAlmostEveryPattern() {
        let coverage = Self.vectorscanEngine.prefilter.coverage
        let total = Self.vectorscanEngine.lineDefinitions.count
        #expect(coverage.exact + coverage.prefilterMode + coverage.literals + coverage.everyLine == total)
        // Lookarounds go in prefilter mode; what libhs refuses altogether should be rare.
        #expect(coverage.exact > total / 2, "\(coverage)")
        #expect(coverage.literals + coverage.everyLine < total / 20, "\(coverage)")
    }

    @Test func branchResetAndNamedGroupsBecomePlainGroupsForLibhs() {
        #expect(EventPrefilter.libhsSource("a(?|b|c)d") == "a(?:b|c)d")
        #expect(EventPrefilter.libhsSource("(?|x(?|y|z))") == "(?:x(?:y|z))")
        #expect(EventPrefilter.libhsSource("(?|(?<v>a)|(?<v>b))") == "(?:(?:a)|(?:b))")
        #expect(EventPrefilter.libhsSource("(?P<n>a)(?'m'b)") == "(?:a)(?:b)")
        // Look-behinds, escaped parentheses and the same characters inside a class are not groups.
        #expect(EventPrefilter.libhsSource("(?<=a)(?<!b)c") == "(?<=a)(?<!b)c")
        #expect(EventPrefilter.libhsSource(#"\(?|a"#) == #"\(?|a"#)
        #expect(EventPrefilter.libhsSource("[(?|]x") == "[(?|]x")
        #expect(EventPrefilter.libhsSource("[](?|]x(?|a)") == "[](?|]x(?:a)")
        #expect(EventPrefilter.libhsSource(#"[\]](?<k>a)"#) == #"[\]](?:a)"#)
        // The built-in rules' branch-reset patterns now go into the database.
        #expect(Self.vectorscanEngine.prefilter.coverage.literals == 0, "\(Self.vectorscanEngine.prefilter.coverage)")
    }

    @Test func fixtureLogsGiveTheSameEvents() throws {
        let files = logFiles(under: Repo.fixtures)
        #expect(files.count > 400)
        try expectSameEvents(in: files)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: generator), "needs ../shared/tools/gen_corpus.py"))
    func generatedCorpusGivesTheSameEvents() throws {
        let folder = TemporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // 40 jobs of about 60 kB: every tool the generator imitates, failures included. Its
        // `files` mode forks a multiprocessing pool, whose worker once hung on a lock inherited
        // from the fork and held the whole suite; the same jobs written one by one cannot.
        let script = """
        import sys; sys.path.insert(0, sys.argv[1]); import gen_corpus
        for i in range(40): gen_corpus._write_file((sys.argv[2], i, 60, 7))
        """
        process.arguments = ["python3", "-c", script, (Self.generator as NSString).deletingLastPathComponent, folder.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(300)
        while process.isRunning && Date() < deadline { usleep(100_000) }
        if process.isRunning {
            process.terminate()
            Issue.record("the corpus generator did not finish within 300 s")
            return
        }
        #expect(process.terminationStatus == 0)
        let files = logFiles(under: folder.path)
        #expect(files.count == 40)
        try expectSameEvents(in: files)
    }
}
