import Foundation
import TestSupport
import GRDB
import LogDx
@testable import LogDxScan
import Testing

/// `scan` and `diagnose FOLDER` walk folders one way (`FolderWalker`) and read the same files
/// (`LogFileNames`): a link to a folder is not followed, so a `..` link cannot multiply the files of
/// a pipeline, and extensionless GitLab traces and compressed logs are read by both.
@Suite struct ScanFolderWalkTests {
    @Test func aLinkToAnAncestorAddsNoFiles() throws {
        let scratch = ScratchFolder()
        let folder = scratch.path + "/logs/pipeline"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data("$ make\nok\n".utf8).write(to: URL(fileURLWithPath: folder + "/build.log"))
        #expect(symlink("..", folder + "/up") == 0)
        #expect(symlink(scratch.path + "/logs", folder + "/root") == 0)
        let plan = try ScanPlan.make(paths: [scratch.path + "/logs"])
        #expect(plan.pipelines.count == 1)
        #expect(plan.pipelines.first?.files.map(\.relative) == ["pipeline/build.log"])
    }

    static func touch(_ root: String, _ relatives: [String]) throws {
        for relative in relatives {
            let path = root + "/" + relative
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data("$ make\nok\n".utf8).write(to: URL(fileURLWithPath: path))
        }
    }

    @Test func scanReadsWhatDiagnoseReadsInAFolder() throws {
        let scratch = ScratchFolder()
        let files = ["build.log", "trace", "test.txt", "deploy.log.gz", "lint.trace.zst", "notes.md", "report.json"]
        try Self.touch(scratch.path + "/p", files)
        let plan = try ScanPlan.make(paths: [scratch.path + "/p"])
        let scanned = plan.pipelines.flatMap(\.files).map(\.relative).sorted()
        let read = try InputPlan.make(paths: [scratch.path + "/p"]).names.map { ($0 as NSString).lastPathComponent }.sorted()
        #expect(scanned == ["build.log", "deploy.log.gz", "lint.trace.zst", "test.txt", "trace"])
        #expect(scanned == read)
    }

    @Test func groupByTakesAPCRE2PatternAndItsFirstCapture() throws {
        let scratch = ScratchFolder()
        try Self.touch(scratch.path + "/runs", ["api/build/1.log", "api/test/1.log", "web/build/2.log", "stray.log"])
        // `\K` and possessive quantifiers are PCRE2's, as in the rules; a pattern the rules could
        // not use would be a second dialect to learn.
        let plan = try ScanPlan.make(paths: [scratch.path + "/runs"], groupBy: "^([^/]++)/\\K")
        #expect(plan.pipelines.map(\.name) == ["api", "web"])
        #expect(plan.pipelines.map(\.files.count) == [2, 1])
        #expect(plan.ungrouped == ["stray.log"])
        #expect(throws: ScanError.self) { try ScanPlan.make(paths: [scratch.path + "/runs"], groupBy: "^[^/]+/") }
        do {
            _ = try ScanPlan.make(paths: [scratch.path + "/runs"], groupBy: "^([^/]+")
            Issue.record("an unbalanced group must be refused")
        } catch {
            guard case .badGroupPattern(_, let reason) = error else { Issue.record("\(error)"); return }
            #expect(reason.contains("does not compile ("), "\(reason)")
        }
    }
}

/// The values a diagnosis bound reach the database as rows, so reports need not read titles.
@Suite struct ScanBindingsTests {
    @Test func theSeedsPackageAndJobsAreRowsOfTheBindingsTable() throws {
        let scratch = ScratchFolder()
        let folder = scratch.path + "/logs/seed"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for name in ["uv-install.log", "test.log"] {
            try FileManager.default.copyItem(atPath: RepositoryPaths.fixtures + "/pipelines/seed-uv-github/" + name, toPath: folder + "/" + name)
        }
        let db = scratch.path + "/history.sqlite"
        _ = try PipelineScanner.scan(scratch.path + "/logs", db: db)
        let sql = """
            SELECT count(*) FROM bindings b JOIN diagnoses d ON d.id = b.diagnosis_id
            WHERE d.rule = 'python-packages-not-carried' AND b.name = 'missing.package' AND b.value = 'rdflib'
            """
        #expect(try ScanRepo.count(db, sql) == 1)
        #expect(try ScanRepo.count(db, "SELECT count(DISTINCT name) FROM bindings") > 3)
    }
}

/// The database stores each diagnosis as JSON output prints it: one serialisation for both.
@Suite struct ScanDocumentTests {
    @Test func aDiagnosisRowHoldsWhatJSONOutputSaysOfIt() throws {
        let scratch = ScratchFolder()
        let folder = scratch.path + "/logs/seed"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let files = ["uv-install.log", "test.log"].map { RepositoryPaths.fixtures + "/pipelines/seed-uv-github/" + $0 }
        for file in files { try FileManager.default.copyItem(atPath: file, toPath: folder + "/" + (file as NSString).lastPathComponent) }
        let db = scratch.path + "/history.sqlite"
        _ = try PipelineScanner.scan(scratch.path + "/logs", db: db)
        let stored = try DatabaseQueue(path: db).read { db in
            try String.fetchAll(db, sql: "SELECT document FROM diagnoses WHERE parent_id IS NULL ORDER BY position")
        }
        let analysis = try Diagnoser(rules: ScanRepo.rules).diagnose([folder + "/test.log", folder + "/uv-install.log"])
        let printed = try #require(try JSONSerialization.jsonObject(with: Data(JSONRenderer().render(analysis).utf8)) as? [String: Any])
        let diagnoses = try #require(printed["diagnoses"] as? [[String: Any]])
        #expect(stored.count == diagnoses.count && !stored.isEmpty)
        for (row, object) in zip(stored, diagnoses) {
            let parsed = try #require(try JSONSerialization.jsonObject(with: Data(row.utf8)) as? [String: Any])
            // Sources differ only in how the scan names files (absolute paths); everything else is equal.
            #expect(parsed["rule"] as? String == object["rule"] as? String)
            #expect(parsed["title"] as? String == object["title"] as? String)
            #expect(parsed["bindings"] as? [String: [String]] == object["bindings"] as? [String: [String]])
            #expect((parsed["fixes"] as? [[String: Any]])?.count == (object["fixes"] as? [[String: Any]])?.count)
            #expect(parsed["ranked_by"] != nil)
        }
    }
}
