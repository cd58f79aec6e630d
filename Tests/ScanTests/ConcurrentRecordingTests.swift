import Foundation
import GRDB
import LogDx
import TestSupport
import Testing
@testable import LogDxScan

/// `ScanDatabase.recordConcurrently` makes a pipeline's statements on one thread and runs them
/// on another, with every id chosen in advance: what it stores must be what `record` (one
/// thread, ids from SQLite) stores, row for row and id for id, also over rows an earlier scan
/// left; and neither thread may wait forever when there is nothing to record.
@Suite struct ConcurrentRecordingTests {
    /// The seed pipeline's diagnoses copied until there are thousands of rows, each copy told
    /// apart by its title; the excerpts and failures come with it.
    static func largeResult(key: String) throws -> PipelineResult {
        let seed = try Diagnoser(rules: ScanRepo.rules).diagnose([RepositoryPaths.seed])
        let copies = (PipelineScanner.concurrentOutputDiagnoses + 7) / max(1, seed.diagnoses.count) + 1
        var result = ScanLineTests.result(ScanRepo.copying(seed, times: copies))
        result.pipeline = ScanPipeline(key: key, name: key, files: [])
        result.failures = [.init(job: "build", source: "build.log", signature: FailureSignature(line: 3, text: "E: boom", normalized: "E: <*>"))]
        return result
    }

    static let tables = ["pipelines", "jobs", "diagnoses", "evidence", "bindings", "excerpts", "excerpt_lines", "failures"]

    /// Every row of the recorded tables, without the times a recording stamps.
    static func contents(_ path: String) throws -> [String: [[String]]] {
        let database = try ScanDatabase(path: path, access: .readOnly)
        return try database.connection.read { db in
            var contents: [String: [[String]]] = [:]
            for table in tables {
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY rowid")
                contents[table] = rows.map { row in
                    row.columnNames.filter { $0 != "scanned_at" }.map { "\(row[$0] as DatabaseValue)" }
                }
            }
            return contents
        }
    }

    @Test func theConcurrentRecordingStoresWhatTheSerialOneDoes() throws {
        let scratch = ScratchFolder()
        let first = try Self.largeResult(key: "/logs/first"), second = try Self.largeResult(key: "/logs/second")
        let documents = PipelineScanner.documents(of: try #require(first.analysis).diagnoses)
        #expect(documents.count >= PipelineScanner.concurrentOutputDiagnoses)

        let serial = try ScanDatabase(path: scratch.path + "/serial.sqlite")
        let concurrent = try ScanDatabase(path: scratch.path + "/concurrent.sqlite")
        // The second pipeline first, then the first twice: the rescan replaces its rows and
        // numbers the new ones after those still there.
        for result in [second, first, first] {
            try serial.record(result, scanID: nil, documents: documents)
            // The documents the rows were made with are the ones the JSON line splices.
            let handed = try concurrent.recordConcurrently(result, scanID: nil) { $0 }
            #expect(handed == documents)
        }
        let expected = try Self.contents(serial.path), got = try Self.contents(concurrent.path)
        // Two pipelines' diagnoses, with their symptoms' rows.
        #expect(try #require(expected["diagnoses"]).count >= 2 * documents.count)
        #expect(try #require(expected["evidence"]).count > documents.count)
        for table in Self.tables {
            #expect(got[table] == expected[table], "\(table) differs")
        }
    }

    @Test func aPipelineWithoutAnalysisIsRecordedAndTheOtherWorkStillRuns() throws {
        let scratch = ScratchFolder()
        let database = try ScanDatabase(path: scratch.path + "/failed.sqlite")
        let failed = ScanLineTests.result(nil)
        let answer = try database.recordConcurrently(failed, scanID: nil) { "encoded \($0.count)" }
        #expect(answer == "encoded 0")
        let errors = try database.connection.read { db in try String.fetchAll(db, sql: "SELECT error FROM pipelines") }
        #expect(errors == ["unreadable"])
    }

    @Test func aWriterThatFailsReportsItsErrorAndReleasesTheMaker() throws {
        let scratch = ScratchFolder()
        let path = scratch.path + "/broken.sqlite"
        let database = try ScanDatabase(path: path)
        // Two tables the recording writes to, gone: the writer fails at its first evidence rows,
        // after the pipeline's own row and some diagnoses.
        try database.connection.write { db in try db.execute(sql: "DROP TABLE bindings; DROP TABLE evidence") }
        let result = try Self.largeResult(key: "/logs/broken")
        #expect(throws: ScanError.self) {
            _ = try database.recordConcurrently(result, scanID: nil) { $0.count }
        }
        // Nothing of the pipeline is left half-written.
        let pipelines = try database.connection.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pipelines") }
        #expect(pipelines == 0)
    }
}
