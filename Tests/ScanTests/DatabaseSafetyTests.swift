import Foundation
import TestSupport
import GRDB
import LogDx
@testable import LogDxScan
import Testing

/// `--db` given the wrong file: another program's SQLite database, random bytes, a database cut
/// short, a read-only copy. logdx names what the file is, exits 2, and leaves it byte for byte
/// as it was; `report` reads a database it cannot write.
@Suite(.serialized)
struct DatabaseSafetyTests {
    static let fixture = ScanRepo.root + "/Fixtures/pipelines/seed-uv-github"

    /// `logdx report` and `logdx scan` on `db`: both exit 2 with `message`, and the file is unchanged.
    func expectRefused(_ db: String, saying message: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let binary = try #require(ScanRepo.binary, "build logdx first (swift build)")
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        for arguments in [["report", "--db", db], ["scan", "--no-progress", "--db", db, Self.fixture]] {
            let result = try ScanRepo.run(binary, arguments)
            #expect(result.status == 2, "\(arguments)", sourceLocation: sourceLocation)
            #expect(result.stderr.hasPrefix("logdx: \(db): \(message)"), "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
            #expect(!result.stderr.contains("writable"), "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
            #expect(result.stderr.filter { $0 == "\n" }.count == 1, "one line: \(result.stderr)", sourceLocation: sourceLocation)
            #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before, "\(arguments) changed the file", sourceLocation: sourceLocation)
        }
    }

    func scannedDatabase(_ path: String) throws -> String {
        let binary = try #require(ScanRepo.binary, "build logdx first (swift build)")
        let scan = try ScanRepo.run(binary, ["scan", "--no-progress", "--db", path, Self.fixture])
        try #require(scan.status == 0, "\(scan.stderr)")
        return path
    }

    @Test func anotherProgramsDatabaseIsRefusedAndLeftUnchanged() throws {
        let scratch = ScratchFolder()
        let notes = scratch.path + "/notes.sqlite"
        let queue = try DatabaseQueue(path: notes)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('keep me')")
        }
        try queue.close()
        try expectRefused(notes, saying: "not logdx's results database (it holds other tables: notes); logdx left it unchanged.")
        #expect(!FileManager.default.fileExists(atPath: notes + "-wal"), "switched to WAL")

        // Another program's mark in the header, even with a table of logdx's name.
        let marked = scratch.path + "/marked.sqlite"
        let other = try DatabaseQueue(path: marked)
        try other.write { db in
            try db.execute(sql: "PRAGMA application_id = 305419896; CREATE TABLE pipelines (id INTEGER PRIMARY KEY)")
        }
        try other.close()
        try expectRefused(marked, saying: "not logdx's results database (its application id, 0x12345678, is another program's)")

        // An empty file is a new database to scan into, but nothing to report on.
        let empty = scratch.path + "/empty.sqlite"
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        do {
            _ = try ScanDatabase(path: empty, access: .readOnly)
            Issue.record("an empty file opened as a database to report on")
        } catch {
            #expect(error == .foreignDatabase(path: empty, detail: "the file is empty: nothing was scanned into it"))
        }
        _ = try ScanDatabase(path: empty)
        #expect(try ScanRepo.count(empty, "SELECT count(*) FROM pipelines") == 0)
    }

    @Test func damagedFilesAreNamedAsSuchNotAsAPermissionProblem() throws {
        let scratch = ScratchFolder()
        var generator = SystemRandomNumberGenerator()
        let random = scratch.path + "/random.sqlite"
        try Data((0..<20_000).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: URL(fileURLWithPath: random))
        try expectRefused(random, saying: "not a SQLite database, or a damaged one (it does not begin with SQLite's header)")

        let whole = try Data(contentsOf: URL(fileURLWithPath: try scannedDatabase(scratch.path + "/whole.sqlite")))
        #expect(whole.count >= 8 * 4096)
        let cut = scratch.path + "/cut.sqlite"
        try whole.prefix(10_000).write(to: URL(fileURLWithPath: cut))
        try expectRefused(cut, saying: "not a SQLite database, or a damaged one (10000 bytes is not a whole number of 4096-byte pages")
        // Cut at a page boundary, the header still counts the missing pages.
        let pages = scratch.path + "/pages.sqlite"
        try whole.prefix(3 * 4096).write(to: URL(fileURLWithPath: pages))
        try expectRefused(pages, saying: "not a SQLite database, or a damaged one (its header counts")
    }

    @Test func reportReadsADatabaseInAReadOnlyFolderWithoutWritingIt() throws {
        let binary = try #require(ScanRepo.binary, "build logdx first (swift build)")
        let scratch = ScratchFolder()
        let folder = scratch.path + "/readonly"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let db = try scannedDatabase(folder + "/logdx.sqlite")
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: db)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: scratch.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder) }

        // Permissions do not bind root: as root, the report runs as nobody.
        let asNobody = getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
        let report = asNobody
            ? try ScanRepo.run("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", binary, "report", "--db", db])
            : try ScanRepo.run(binary, ["report", "--db", db])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.hasPrefix("logdx report: 1 pipeline seen"), "\(report.stdout)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["logdx.sqlite"])

        // Opened for reading, the database refuses writes whoever runs it.
        let readOnly = try ScanDatabase(path: db, access: .readOnly)
        #expect(try ScanReport.build(from: readOnly).totals.pipelines == 1)
        #expect(throws: ScanError.self) { try readOnly.rebuildClusters(store: true) }
    }

    /// What a second scan sees when it starts while the first is setting up the file: GRDB's
    /// bookkeeping table, empty, and nothing else. It is a database being made, not another
    /// program's (found by `twoConcurrentScansShareOneDatabase` failing under load).
    @Test func aDatabaseWhoseSetUpHasJustBegunIsScannedInto() throws {
        let scratch = ScratchFolder()
        let db = scratch.path + "/starting.sqlite"
        let queue = try DatabaseQueue(path: db)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
        }
        try queue.close()
        _ = try PipelineScanner.scan(Self.fixture, db: db)
        #expect(try ScanRepo.count(db, "SELECT count(*) FROM pipelines") == 1)

        // Once a migration is recorded, a file with only that table is no longer "being made".
        let other = scratch.path + "/other.sqlite"
        let otherQueue = try DatabaseQueue(path: other)
        try otherQueue.write { db in
            try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY); INSERT INTO grdb_migrations VALUES ('createNotes')")
        }
        try otherQueue.close()
        try expectRefused(other, saying: "not logdx's results database (it holds other tables: grdb_migrations)")
    }

    @Test func aDatabaseFromBeforeTheApplicationIDIsStillLogdxs() throws {
        let scratch = ScratchFolder()
        let db = scratch.path + "/v1.sqlite"
        let pool = try DatabasePool(path: db)
        try ScanSchema.migrator.migrate(pool, upTo: "v1")
        try pool.close()
        #expect(try ScanRepo.count(db, "PRAGMA application_id") == 0)

        #expect(try ScanReport.build(from: ScanDatabase(path: db, access: .readOnly)).totals.pipelines == 0)
        _ = try PipelineScanner.scan(Self.fixture, db: db)
        #expect(try ScanRepo.count(db, "PRAGMA application_id") == Int(ScanDatabaseIdentity.applicationID))
        #expect(try ScanRepo.count(db, "SELECT count(*) FROM pipelines") == 1)
    }

    @Test func reportTextShowsControlCharactersInNamesEscaped() throws {
        let scratch = ScratchFolder()
        let pipeline = scratch.path + "/logs/night\u{1b}[2J"
        try FileManager.default.createDirectory(atPath: pipeline, withIntermediateDirectories: true)
        try "compiling\nfatal: shard 3 lost its lease\nERROR: Job failed: exit code 1\n"
            .write(toFile: pipeline + "/unit\nforged.log", atomically: true, encoding: .utf8)
        let db = scratch.path + "/logdx.sqlite"
        _ = try PipelineScanner.scan(scratch.path + "/logs", db: db)
        let text = ReportTextRenderer().render(try ScanReport.build(from: ScanDatabase(path: db, access: .readOnly)))
        #expect(!text.contains("\u{1b}"))
        #expect(!text.split(separator: "\n").contains { $0.hasPrefix("forged") })
        #expect(text.contains(#"e.g. night\x1b[2J / unit\nforged: fatal: shard 3 lost its lease"#), "\(text)")
    }
}
