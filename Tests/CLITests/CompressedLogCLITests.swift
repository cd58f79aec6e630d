import Foundation
import TestSupport
import Testing

/// `.gz` and `.zst` logs, given as files, folders, standard input or to `scan`, are read by logdx
/// itself: no `gzip` on PATH is needed and nothing is written to the temporary folder.
/// The files are made by the reference `gzip` and `zstd` tools.
@Suite struct CompressedLogCLITests {
    static let pipeline = CLIRunner.root + "/Fixtures/pipelines/seed-uv-github"

    /// No decompressor to spawn (PATH names an empty folder), and a temporary folder that must
    /// stay empty.
    static func sealedEnvironment(_ scratch: String) throws -> [String: String] {
        let tmp = scratch + "/tmp", bin = scratch + "/bin"
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        return ["PATH": bin, "TMPDIR": tmp, "LOGDX_CACHE_DIR": "off"]
    }

    @Test func aGzippedPasteOnStandardInputReadsAsThePlainPaste() throws {
        let scratch = try CLIRunner.scratch()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let seed = CLIRunner.root + "/" + CLIRunner.seed
        try ReferenceCompressor.compress(seed, with: "gzip", into: scratch + "/seed.gz")
        let plain = try CLIRunner.run(["diagnose", "--format", "json"], stdin: try Data(contentsOf: URL(fileURLWithPath: seed)))
        let gzipped = try CLIRunner.run(
            ["diagnose", "--format", "json"], stdin: try Data(contentsOf: URL(fileURLWithPath: scratch + "/seed.gz")),
            environment: try Self.sealedEnvironment(scratch))
        #expect(plain.status == gzipped.status && plain.status == 0, "\(gzipped.stderr)")
        #expect(gzipped.stdout == plain.stdout)
        #expect(plain.stdout.contains("\"rule\""))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch + "/tmp").isEmpty)
    }

    @Test(arguments: ["gzip", "zstd"])
    func diagnoseAndScanReadCompressedLogsWithoutChildProcessesOrTemporaryFiles(_ tool: String) throws {
        let scratch = try CLIRunner.scratch()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let logs = scratch + "/logs/pipeline-1"
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        let ext = tool == "gzip" ? "gz" : "zst"
        for name in ["uv-install.log", "test.log"] {
            try ReferenceCompressor.compress(Self.pipeline + "/" + name, with: tool, into: logs + "/" + name + "." + ext)
        }
        let environment = try Self.sealedEnvironment(scratch)
        let plain = try CLIRunner.run(["diagnose", "--format", "compact", Self.pipeline + "/uv-install.log", Self.pipeline + "/test.log"])
        let compressed = try CLIRunner.run(["diagnose", "--format", "compact", logs], environment: environment)
        #expect(compressed.status == plain.status, "\(compressed.stderr)")
        // Same findings; the files are named as they are on disk.
        let expected = plain.stdout.replacingOccurrences(of: Self.pipeline + "/uv-install.log", with: logs + "/uv-install.log.\(ext)")
            .replacingOccurrences(of: Self.pipeline + "/test.log", with: logs + "/test.log.\(ext)")
        #expect(!plain.stdout.isEmpty)
        #expect(compressed.stdout == expected)

        let scan = try CLIRunner.run(["scan", scratch + "/logs", "--db", scratch + "/history.sqlite", "--no-progress", "--jsonl"], environment: environment)
        #expect(scan.status == 0, "\(scan.stderr)")
        #expect(scan.stdout.contains("test.log.\(ext)"), "\(scan.stdout.prefix(400))")
        #expect(!scan.stderr.contains("damaged") && !scan.stderr.contains("cannot"), "\(scan.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch + "/tmp").isEmpty)
    }
}
