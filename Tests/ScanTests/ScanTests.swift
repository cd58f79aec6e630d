import Foundation
import TestSupport
import GRDB
import LogDx
@testable import LogDxScan
import Testing

/// End-to-end: generated pipelines are scanned into SQLite and the report says what they hold.
/// Serialized: each test already uses both cores of the CI machine.
@Suite(.serialized)
struct ScanTests {
    @Test func scanThenReportFindsTheGeneratedCausesAndClusters() throws {
        let scratch = ScratchFolder()
        let logs = scratch.path + "/logs", db = scratch.path + "/logdx.sqlite"
        let manifest = try ScanRepo.generate(into: logs, scale: 0.5)
        let summary = try PipelineScanner.scan(logs, db: db)
        #expect(summary.pipelines == manifest.pipelines)
        #expect(summary.scanned == manifest.pipelines)
        #expect(summary.failed == 0 && summary.fileErrors.isEmpty)

        let report = try ScanReport.build(from: ScanDatabase(path: db))
        #expect(report.totals.pipelines == manifest.pipelines)
        let expectedCauses = manifest.causes.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        #expect(report.causes.prefix(expectedCauses.count).map(\.rule) == expectedCauses.map(\.key))
        for (rule, count) in manifest.causes {
            #expect(report.causes.first { $0.rule == rule }?.count == count, "pipelines diagnosed with \(rule)")
        }
        // Each unknown failure kind is one cluster, whatever numbers and paths it printed.
        let expectedSizes = manifest.unknown.values.sorted(by: >)
        #expect(report.clusters.map(\.count) == expectedSizes)
        #expect(report.clusters.first?.signature == "fatal: frobnicate: shard <NUM> of <NUM> lost its lease on <PATH> after <NUM> ms")
        #expect(report.clusters.allSatisfy { !$0.examples.isEmpty })
        #expect(report.weeks.count >= 10 && report.pipelinesPerWeek.reduce(0, +) == manifest.pipelines)

        // The JSON holds the documented members, sorted by count.
        let json = try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any]
        let causes = json?["causes"] as? [[String: Any]] ?? []
        let clusters = json?["clusters"] as? [[String: Any]] ?? []
        for key in ["rule", "title", "count", "first_seen", "last_seen", "examples"] { #expect(causes.first?[key] != nil, "causes[].\(key)") }
        for key in ["signature", "count", "examples"] { #expect(clusters.first?[key] != nil, "clusters[].\(key)") }
        let counts = causes.compactMap { $0["count"] as? Int }
        #expect(counts == counts.sorted(by: >))

        let html = ReportHTMLRenderer().render(report)
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("<img"))
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http") && html.components(separatedBy: "<svg").count == 4)
        #expect(try ScanRepo.count(db, "SELECT count(*) FROM clusters") == 3)
    }

    @Test func rescanSkipsUnchangedPipelinesAndRescansChangedOnes() throws {
        let scratch = ScratchFolder()
        let logs = scratch.path + "/logs", db = scratch.path + "/logdx.sqlite"
        let manifest = try ScanRepo.generate(into: logs, scale: 0.1)
        let first = try PipelineScanner.scan(logs, db: db)
        #expect(first.scanned == manifest.pipelines)

        let second = try PipelineScanner.scan(logs, db: db)
        #expect(second.skipped == manifest.pipelines && second.scanned == 0)

        // A new mtime with the same bytes is still unchanged (the hash says so); new bytes are not.
        let plan = try ScanPlan.make(paths: [logs])
        let touched = plan.pipelines[0].files[0].path, edited = plan.pipelines[1].files[0].path
        try FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: touched)
        let handle = try #require(FileHandle(forWritingAtPath: edited))
        handle.seekToEndOfFile()
        handle.write(Data("one more line\n".utf8))
        handle.closeFile()
        let third = try PipelineScanner.scan(logs, db: db)
        #expect(third.scanned == 1 && third.skipped == manifest.pipelines - 1)
        #expect(try ScanRepo.count(db, "SELECT count(*) FROM pipelines") == manifest.pipelines)
        #expect(try ScanRepo.count(db, "SELECT count(*) FROM files") == plan.pipelines.reduce(0) { $0 + $1.files.count })
    }

    @Test func killedScanResumesWithoutLossOrDuplicates() throws {
        let binary = try #require(ScanRepo.binary, "build logdx first (swift build)")
        let scratch = ScratchFolder()
        let logs = scratch.path + "/logs", db = scratch.path + "/logdx.sqlite"
        let manifest = try ScanRepo.generate(into: logs, scale: 1.25)
        #expect(manifest.pipelines >= 250)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["scan", logs, "--db", db, "--no-progress"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Kill it once some pipelines are recorded and most are not.
        var recorded = 0
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline && process.isRunning {
            recorded = (try? ScanRepo.count(db, "SELECT count(*) FROM pipelines")) ?? 0
            if recorded >= 15 { break }
            usleep(20_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the scan ended before it could be killed")
        let before = try ScanRepo.count(db, "SELECT count(*) FROM pipelines")
        #expect(before > 0 && before < manifest.pipelines)

        let rerun = try ScanRepo.run(binary, ["scan", logs, "--db", db, "--no-progress"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("\(before) unchanged"), "\(rerun.stderr)")
        #expect(try ScanRepo.count(db, "SELECT count(*) FROM pipelines") == manifest.pipelines)
        #expect(try ScanRepo.count(db, "SELECT count(DISTINCT key) FROM pipelines") == manifest.pipelines)
        // Every pipeline is whole: it has its jobs, and nothing is recorded twice.
        #expect(try ScanRepo.count(db, "SELECT count(*) FROM pipelines p WHERE NOT EXISTS (SELECT 1 FROM jobs j WHERE j.pipeline_id = p.id)") == 0)
        #expect(try ScanRepo.count(db, "SELECT count(*) FROM (SELECT path FROM files GROUP BY path HAVING count(*) > 1)") == 0)
        #expect(try ScanRepo.count(db, "SELECT count(*) FROM (SELECT pipeline_id, job FROM failures GROUP BY 1, 2 HAVING count(*) > 1)") == 0)
        let report = try ScanReport.build(from: ScanDatabase(path: db))
        for (rule, count) in manifest.causes { #expect(report.causes.first { $0.rule == rule }?.count == count) }
        #expect(report.clusters.map(\.count) == manifest.unknown.values.sorted(by: >))
    }

    @Test func truncatedGzipIsAPerFileErrorNotACrash() throws {
        let scratch = ScratchFolder()
        let folder = scratch.path + "/logs/pipeline", db = scratch.path + "/logdx.sqlite"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let source = ScanRepo.root + "/Fixtures/pipelines/seed-uv-github"
        try FileManager.default.copyItem(atPath: source + "/uv-install.log", toPath: folder + "/uv-install.log")
        let gz = try ScanRepo.run("/bin/sh", ["-c", "gzip -c '\(source)/test.log' > '\(folder)/test.log.gz'"])
        #expect(gz.status == 0)
        let whole = try Data(contentsOf: URL(fileURLWithPath: folder + "/test.log.gz"))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: folder + "/test.log.gz"))
        // gzip's header, then bytes that are not deflate data, alone in its pipeline: the pipeline
        // is unreadable, the scan goes on.
        try FileManager.default.createDirectory(atPath: scratch.path + "/logs/bogus", withIntermediateDirectories: true)
        try Data([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 0x03] + Array(repeating: 0xff, count: 64)).write(to: URL(fileURLWithPath: scratch.path + "/logs/bogus/job.log.gz"))
        // A plain log named .gz is read as the text it is.
        try Data("$ make\nall done\n".utf8).write(to: URL(fileURLWithPath: scratch.path + "/logs/bogus/notes.log.gz"))

        let summary = try PipelineScanner.scan(scratch.path + "/logs", db: db)
        #expect(summary.pipelines == 2)
        #expect(summary.fileErrors.count == 2)
        #expect(summary.fileErrors.contains { $0.contains("test.log.gz: the gzip data ends early (the file is cut off)") }, "\(summary.fileErrors)")
        #expect(summary.fileErrors.contains { $0.contains("job.log.gz: gzip data is damaged") }, "\(summary.fileErrors)")
        #expect(summary.failed == 0 && summary.scanned == 2)
        #expect(try ScanRepo.count(db, "SELECT count(*) FROM files WHERE error IS NOT NULL") == 2)
        // The part before the damage was analysed: the job exists, named after the file.
        #expect(try ScanRepo.count(db, "SELECT count(*) FROM jobs WHERE name = 'test' AND source LIKE '%test.log.gz'") == 1)
    }

    @Test func twoConcurrentScansShareOneDatabase() throws {
        let binary = try #require(ScanRepo.binary, "build logdx first (swift build)")
        let scratch = ScratchFolder()
        let logs = scratch.path + "/logs", db = scratch.path + "/logdx.sqlite"
        let manifest = try ScanRepo.generate(into: logs, scale: 0.3)
        // Each scan's messages go to a file, so a failure says why.
        let processes = (0..<2).map { index in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["scan", logs, "--db", db, "--no-progress", "--jobs", "1"]
            process.standardOutput = FileHandle.nullDevice
            _ = FileManager.default.createFile(atPath: scratch.path + "/stderr-\(index)", contents: nil)
            process.standardError = FileHandle(forWritingAtPath: scratch.path + "/stderr-\(index)")
            return process
        }
        for process in processes { try process.run() }
        for process in processes { process.waitUntilExit() }
        let messages = (0..<2).map { (try? String(contentsOfFile: scratch.path + "/stderr-\($0)", encoding: .utf8)) ?? "" }
        #expect(processes.map(\.terminationStatus) == [0, 0], "\(messages)")
        #expect(try ScanRepo.count(db, "SELECT count(*) FROM pipelines") == manifest.pipelines)
        #expect(try ScanRepo.count(db, "SELECT count(*) FROM scans WHERE finished_at IS NOT NULL") == 2)
        let queue = try DatabaseQueue(path: db)
        #expect(try queue.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
        #expect(try queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
    }
}
