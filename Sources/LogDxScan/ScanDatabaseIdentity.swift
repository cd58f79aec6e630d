import Foundation
import GRDB

/// Tells logdx's results database from any other file before logdx opens it for real: a scan
/// given another program's database by mistake must not add its tables (or switch it to WAL),
/// and a report must not read garbage as results. Looks only; never writes.
enum ScanDatabaseIdentity {
    /// `PRAGMA application_id` of logdx's databases: "LGDX" in ASCII.
    static let applicationID: Int32 = 0x4C47_4458
    /// Tables every logdx database has, also those written before the application id was set.
    static let tables: Set<String> = ["grdb_migrations", "scans", "pipelines", "files", "failures"]
    static let header = Array("SQLite format 3\u{0}".utf8)

    /// Returns when `path` is logdx's database, or, for writing, missing or empty (a new one);
    /// otherwise throws the `ScanError` that says what the file is. SQLite's own errors (a lock
    /// held for a moment) are thrown as they are, for the caller to retry or classify.
    static func check(path: String, access: ScanDatabase.Access) throws {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard let attributes else {
            if access == .readWrite { return }
            throw ScanError.unreadableDatabase(path: path, detail: "no such file")
        }
        if attributes[.type] as? FileAttributeType == .typeDirectory {
            throw ScanError.notADatabase(path: path, detail: "it is a folder")
        }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        if size == 0 {
            if access == .readWrite { return }
            throw ScanError.foreignDatabase(path: path, detail: "the file is empty: nothing was scanned into it")
        }
        try checkHeader(path: path, size: size, access: access)

        var configuration = Configuration()
        configuration.busyMode = .timeout(120)
        let queue = try ScanDatabase.openReadOnly(path: path, configuration: configuration)
        let (id, names, migrationsApplied) = try queue.read { db in
            let names = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            return (try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0, names,
                    names.contains("grdb_migrations") ? try Int.fetchOne(db, sql: "SELECT count(*) FROM grdb_migrations") ?? 0 : 0)
        }
        try queue.close()
        if id == applicationID { return }
        if id != 0 {
            throw ScanError.foreignDatabase(path: path, detail: String(format: "its application id, 0x%08X, is another program's", id))
        }
        // GRDB's migrator commits its bookkeeping table before the first migration: a scan started
        // a moment after another one sees only that, empty, and must wait for the schema, not call
        // the file another program's.
        if names.isEmpty || (names == ["grdb_migrations"] && migrationsApplied == 0) {
            if access == .readWrite { return }
            throw ScanError.foreignDatabase(path: path, detail: "it holds no tables: nothing was scanned into it")
        }
        guard tables.isSubset(of: names) else {
            let shown = names.prefix(5).joined(separator: ", ") + (names.count > 5 ? ", …" : "")
            throw ScanError.foreignDatabase(path: path, detail: "it holds other tables: \(shown)")
        }
    }

    /// SQLite's header and whole pages: a file that is not SQLite, or was cut short, is named as
    /// such here (SQLite itself may take a cut-off file for an empty database and write over it).
    private static func checkHeader(path: String, size: Int64, access: ScanDatabase.Access) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw access == .readOnly
                ? ScanError.unreadableDatabase(path: path, detail: "permission denied")
                : ScanError.database(path: path, detail: "cannot read it: permission denied")
        }
        defer { try? handle.close() }
        let first = Array((try? handle.read(upToCount: 100)) ?? Data())
        guard first.count >= 18, Array(first.prefix(16)) == header else {
            throw ScanError.notADatabase(path: path, detail: "it does not begin with SQLite's header")
        }
        let field = Int(first[16]) << 8 | Int(first[17])
        let pageSize = field == 1 ? 65_536 : field
        guard pageSize >= 512, pageSize & (pageSize - 1) == 0 else {
            throw ScanError.notADatabase(path: path, detail: "its header names no valid page size")
        }
        guard first.count == 100, size % Int64(pageSize) == 0 else {
            throw ScanError.notADatabase(path: path, detail: "\(size) bytes is not a whole number of \(pageSize)-byte pages: the file was cut short")
        }
        // The page count in the header is valid when its "version valid for" matches the change
        // counter; a file with fewer pages than that was cut short at a page boundary.
        func number(at offset: Int) -> Int64 { first[offset..<offset + 4].reduce(0) { $0 << 8 | Int64($1) } }
        let pages = number(at: 28)
        if number(at: 92) == number(at: 24), pages > 0, pages * Int64(pageSize) > size {
            throw ScanError.notADatabase(path: path, detail: "its header counts \(pages) pages, the file holds \(size / Int64(pageSize)): the file was cut short")
        }
    }
}
