import GRDB
import TestSupport
import Testing
@testable import LogDxScan

/// The settings `ScanDatabase.connectionPragmas` gives every connection: read back from SQLite
/// on a writing pool and on a read-only connection, since a setting GRDB dropped or SQLite
/// refused would fail silently and only show as a slower scan.
struct ConnectionSettingsTests {
    @Test func everyConnectionKeepsStatementJournalsInMemoryWithALargePageCache() throws {
        let scratch = ScratchFolder()
        let path = scratch.path + "/settings.sqlite"
        func settings(_ database: ScanDatabase) throws -> (tempStore: Int, cacheSize: Int) {
            try database.connection.read { db in
                (try Int.fetchOne(db, sql: "PRAGMA temp_store") ?? -1, try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? 0)
            }
        }
        // 2 is MEMORY; a negative cache size is in KiB.
        let writing = try settings(ScanDatabase(path: path))
        #expect(writing.tempStore == 2)
        #expect(writing.cacheSize == -32768)
        let reading = try settings(ScanDatabase(path: path, access: .readOnly))
        #expect(reading.tempStore == 2)
        #expect(reading.cacheSize == -32768)
        try ScanDatabase(path: path).connection.write { db in
            try #expect(Int.fetchOne(db, sql: "PRAGMA temp_store") == 2)
        }
    }
}
