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
    static let datasets = Repo.root + "/../shared/datasets"

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
        #expect(coverage.literalsInDatabase + coverage.exact + coverage.prefilterMode + coverage.literals + coverage.everyLine == total)
        // Most patterns have required literals; of those without, lookarounds go in prefilter
        // mode; what libhs refuses altogether should be rare.
        #expect(coverage.literalsInDatabase > total / 2, "\(coverage)")
        #expect(coverage.exact > 0, "\(coverage)")
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
        // A class excluding one character also excludes the newline no line holds
        // (Vectorscan#378, see aLongLineKeepsItsEvents); other classes stay as they are, since
        // a newline put first could make a range (`[^\n-\s]`).
        #expect(EventPrefilter.libhsSource(#"File "[^"]+""#) == #"File "[^"\n]+""#)
        #expect(EventPrefilter.libhsSource(#"a[^]x]b[^x]c[x]d[^\]]e[^]]f[^é]"#) == #"a[^]x]b[^x\n]c[x]d[^\]\n]e[^]\n]f[^é\n]"#)
        #expect(EventPrefilter.libhsSource(#"[^-\s]+[^\s][^\x22]"#) == #"[^-\s]+[^\s][^\x22]"#)
        // The built-in rules' branch-reset patterns now go into the database.
        #expect(Self.vectorscanEngine.prefilter.coverage.literals == 0, "\(Self.vectorscanEngine.prefilter.coverage)")
    }

    /// Vectorscan 5.4.9 on an AVX-512 machine missed `[^"]+` running into the last 64 bytes of
    /// a line, so long traceback frames and pip's long "from versions:" lines had no events. The
    /// frame below is Python's wording (Lib/traceback.py: `  File "{}", line {}, in {}`).
    @Test(arguments: [20, 60, 100, 180])
    func aLongLineKeepsItsEvents(pathLength: Int) throws {
        let folder = TemporaryDirectory()
        let path = "/opt/hostedtoolcache/Python/3.12.10/x64/lib/python3.12/site-packages/" + String(repeating: "pkg/", count: pathLength / 4) + "main.py"
        folder.write("job.log", """
            Traceback (most recent call last):
              File "\(path)", line 22, in <module>
                from pip._internal.cli.main import main as _main
            ModuleNotFoundError: No module named 'pip._internal'

            """)
        let frames = try events(folder.path + "/job.log", Self.vectorscanEngine).filter { $0.definition == "python-traceback-frame" }
        #expect(frames.count == 1)
        #expect(frames.first?.fields["file"] == path)
    }

    @Test func fixtureLogsGiveTheSameEvents() throws {
        let files = logFiles(under: Repo.fixtures)
        #expect(files.count > 400)
        try expectSameEvents(in: files)
    }

    /// Real logs nobody on this project wrote (../shared/datasets: users' pasted failures, CiDiff's
    /// Jenkins and GitHub Actions logs, a slice of LogChunks' Travis logs): wordings and line
    /// lengths the fixtures and the generator do not have.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: datasets), "needs ../shared/datasets"))
    func realLogsGiveTheSameEvents() throws {
        let chunks = logFiles(under: Self.datasets + "/logchunks").enumerated().filter { $0.offset % 8 == 0 }.map(\.element)
        let files = logFiles(under: Self.datasets + "/wild-dev") + logFiles(under: Self.datasets + "/cidiff") + chunks
        #expect(files.count > 150)
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
