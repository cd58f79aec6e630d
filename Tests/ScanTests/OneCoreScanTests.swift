import Foundation
import GRDB
import TestSupport
import Testing
@testable import LogDxScan

/// A container limited to one CPU is where a scan must still finish: work split into halves
/// that wait for each other hangs there if both halves are handed to `concurrentPerform`, which
/// on one core runs them one after the other. `taskset -c 0` gives the scan that one core.
@Suite struct OneCoreScanTests {
    @Test func aScanRecordingThousandsOfRowsFinishesOnOneCore() throws {
        let taskset = "/usr/bin/taskset"
        try #require(FileManager.default.isExecutableFile(atPath: taskset), "taskset (util-linux) is needed to give the scan one core")
        let scratch = ScratchFolder()
        let pipeline = scratch.path + "/pipeline"
        try FileManager.default.createDirectory(atPath: pipeline, withIntermediateDirectories: true)
        // Thirty jobs of the seed's shape correlate into hundreds of diagnoses: enough for the
        // recording that makes rows on one thread while another writes them.
        let seed = try Data(contentsOf: URL(fileURLWithPath: RepositoryPaths.seed))
        for job in 1...30 {
            try seed.write(to: URL(fileURLWithPath: "\(pipeline)/job\(job).log"))
        }
        let database = scratch.path + "/scan.sqlite"
        let run = try ChildProcess.run(
            taskset, ["-c", "0", RepositoryPaths.debugBinary, "scan", pipeline, "--db", database, "--jsonl", "--no-progress"],
            timeout: 120)
        #expect(!run.timedOut, "the scan did not finish on one core")
        #expect(run.status == 0, "\(run.stderr)")
        let line = try #require(run.stdout.split(separator: "\n").first)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let diagnoses = try #require(document["diagnoses"] as? [Any])
        #expect(diagnoses.count >= PipelineScanner.concurrentOutputDiagnoses)
        let stored = try ScanDatabase(path: database, access: .readOnly).connection.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM diagnoses WHERE parent_id IS NULL")
        }
        #expect(stored == diagnoses.count)
    }
}
