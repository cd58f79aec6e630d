import Foundation
import Testing
@testable import LogDx
import TestSupport

/// Issue 11 defects in reading: folder walks that never end, files skipped without a word, and a
/// progress bar that hides the error after it.
@Suite struct IngestRobustnessTests {
    @Test func folderLinksToFoldersAreNotFollowed() throws {
        let folder = TemporaryDirectory()
        let seed = try String(contentsOfFile: Repo.seed, encoding: .utf8)
        folder.write("logs/a/job.log", seed)
        // A link to the parent would make the walk read the same file again at every depth.
        #expect(symlink("..", folder.path + "/logs/a/up") == 0)
        #expect(symlink(folder.path + "/logs", folder.path + "/logs/a/root") == 0)
        #expect(symlink("job.log", folder.path + "/logs/a/same-job.log") == 0)
        let walk = try #require(FolderWalker.walk(folder.path + "/logs"))
        #expect(walk.files == [folder.path + "/logs/a/job.log", folder.path + "/logs/a/same-job.log"])
        #expect(walk.unfollowedLinks == [folder.path + "/logs/a/root", folder.path + "/logs/a/up"])

        let analysis = try diagnose([folder.path + "/logs"])
        #expect(analysis.pipeline.jobs.count == 4) // two gitlab-ci-local pastes of two jobs each
        #expect(analysis.pipeline.notices.contains { $0.source.hasSuffix("/a/up") && $0.message.contains("not followed") })
    }

    @Test func theFilesAFolderCannotGiveAreNamed() throws {
        let folder = TemporaryDirectory()
        folder.write("build.log", "$ make\nmain.c:3: error: expected ';'\n")
        folder.write("old.log.gz", Data([0x1f, 0x8b, 0x08, 0x00]))
        folder.write("old.log.zst", Data([0x28, 0xb5, 0x2f, 0xfd]))
        folder.write("empty.log", "")
        folder.write("notes.md", "# not a log\n")
        for analysis in [try diagnose([folder.path]), try diagnose([folder.path, folder.write("more.log", "ok\n")])] {
            let notices = analysis.pipeline.notices
            // Compressed logs are read; these two are cut off inside their header, which is said.
            let gz = try #require(notices.first { $0.source.hasSuffix("old.log.gz") })
            #expect(gz.message.hasPrefix("skipped: ") && gz.message.contains("the gzip data ends early"), "\(gz.message)")
            let zst = try #require(notices.first { $0.source.hasSuffix("old.log.zst") })
            #expect(zst.message.contains("the zstd data ends early"), "\(zst.message)")
            #expect(analysis.pipeline.damagedInputs.keys.sorted().map { ($0 as NSString).lastPathComponent } == ["old.log.gz", "old.log.zst"])
            #expect(notices.contains { $0.source.hasSuffix("empty.log") && $0.message == "skipped: the file is empty" })
            #expect(!notices.contains { $0.source.hasSuffix("notes.md") })
        }
    }

    @Test func aFolderOfOnlyADamagedCompressedLogSaysWhatIsWrongWithIt() throws {
        let folder = TemporaryDirectory()
        let file = folder.write("job.log.zst", Data([0x28, 0xb5, 0x2f, 0xfd]))
        #expect {
            try diagnose([folder.path])
        } throws: { error in
            guard case .damaged(let path, _)? = error as? InputError else { return false }
            return path == file
        }
    }

    /// A progress bar redrawn with `\r` for more than the line limit, then the error on the same line.
    static func progressThenError(_ progressBytes: Int) -> String {
        var line = ""
        var percent = 0
        while line.utf8.count < progressBytes {
            line += "[" + String(repeating: "#", count: percent % 60) + "] \(percent)%\r"
            percent += 1
        }
        return line + "npm ERR! code E404\n"
    }

    @Test(arguments: [4096, 256 * 1024])
    func whatAFinalRedrawShowsIsKept(chunkSize: Int) throws {
        let folder = TemporaryDirectory()
        let file = folder.write("install.log", "$ npm ci\n" + Self.progressThenError(200 * 1024) + "done\n")
        var lines: [(Int, String, Int)] = []
        var cleaner = LineCleaner()
        var reader = LineReader(source: try InputSource(path: file), chunkSize: chunkSize)
        try reader.forEachLine { number, bytes, dropped in
            lines.append((number, String(decoding: cleaner.clean(bytes), as: UTF8.self), dropped))
        }
        #expect(lines.map(\.0) == [1, 2, 3])
        #expect(lines[1].1 == "npm ERR! code E404")
        #expect(lines[1].2 == 0, "nothing a terminal shows was cut")
        #expect(lines[2].1 == "done")
    }

    @Test func aReturnAtAChunkBoundaryStillStartsTheLineOver() throws {
        let folder = TemporaryDirectory()
        let progress = String(repeating: "=", count: 4095) + "\r" + String(repeating: "-", count: 70_000) + "\rfinal state\r\n"
        let file = folder.write("bar.log", progress)
        var seen: [String] = []
        var cleaner = LineCleaner()
        var reader = LineReader(source: try InputSource(path: file), chunkSize: 4096)
        try reader.forEachLine { _, bytes, _ in seen.append(String(decoding: cleaner.clean(bytes), as: UTF8.self)) }
        #expect(seen == ["final state"])
    }

    @Test func aFinalStateLongerThanTheLimitIsCutAndSaidSo() throws {
        let folder = TemporaryDirectory()
        let file = folder.write("long.log", "first\r" + String(repeating: "x", count: 100) + "\n")
        var reader = LineReader(source: try InputSource(path: file), maxLineBytes: 40, chunkSize: 16)
        var got: [(Int, Int)] = []
        try reader.forEachLine { _, bytes, dropped in got.append((bytes.count, dropped)) }
        // The kept bytes are the last state's start (with the return that opens it).
        #expect(got.count == 1 && got[0].0 == 40 && got[0].1 == 61)
    }

    @Test func theDiagnosisSeesTheErrorAfterALongProgressBar() throws {
        let folder = TemporaryDirectory()
        let file = folder.write("install.log", "$ npm ci\n" + Self.progressThenError(100 * 1024))
        let (_, sink) = try read([file])
        #expect(sink.lines.contains { $0.text == "npm ERR! code E404" })
    }

    @Test(arguments: [
        ("uv-install starting ghcr.io/astral-sh/uv:0.5-python3.11-alpine (.pre)", "uv-install", ".pre"),
        ("test  starting image (test)", "test", "test"),
        ("a b starting  (build)", "a b", "build"),
    ])
    func gitlabCILocalStartingLines(line: String, name: String, stage: String) throws {
        let bytes = ArraySlice(Array(line.utf8))
        let starting = try #require(GitLabCILocalLine.starting(bytes))
        #expect(String(decoding: bytes[starting.name], as: UTF8.self) == name)
        #expect(String(decoding: bytes[starting.stage], as: UTF8.self) == stage)
    }

    @Test(arguments: [" job starting x (stage)", "job starting x (st(a)ge)", "job starting x (stage) ", "job starting x ()", "jobstarting x (s)"])
    func notGitLabCILocalStartingLines(line: String) {
        #expect(GitLabCILocalLine.starting(ArraySlice(Array(line.utf8))) == nil)
    }

    @Test func gitlabCILocalResults() throws {
        let fail = try #require(GitLabCILocalLine.finished(ArraySlice("finished in 1.35 s  FAIL 1   ".utf8)))
        #expect(fail.result == UInt8(ascii: "F") && fail.code == 1)
        let pass = try #require(GitLabCILocalLine.finished(ArraySlice("finished in 1.35 s".utf8)))
        #expect(pass.result == nil)
        #expect(GitLabCILocalLine.finished(ArraySlice("finishing".utf8)) == nil)
        let summary = try #require(GitLabCILocalLine.summary(ArraySlice(" WARN  lint  ".utf8)))
        #expect(summary.result == UInt8(ascii: "W"))
        #expect(GitLabCILocalLine.summary(ArraySlice(" PASS  x".utf8)) != nil)
        #expect(GitLabCILocalLine.summary(ArraySlice(" DONE  x".utf8)) == nil)
    }
}
