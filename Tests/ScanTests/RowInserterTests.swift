import GRDB
import Testing
@testable import LogDxScan

/// `RowInserter` holds rows and inserts them many to a statement: every row must arrive once, in
/// order, with its values as given, whether it went in a full statement or the last, shorter one.
@Suite struct RowInserterTests {
    @Test(arguments: [0, 1, RowInserter.rowsPerStatement - 1, RowInserter.rowsPerStatement, 2 * RowInserter.rowsPerStatement + 5])
    func everyRowArrivesOnceInOrder(count: Int) throws {
        let queue = try DatabaseQueue()
        let stored = try queue.write { db -> [Row] in
            try db.execute(sql: "CREATE TABLE lines (id INTEGER PRIMARY KEY, owner INTEGER, position INTEGER, text TEXT, note TEXT)")
            var rows = RowInserter(RowInserter.Template(table: "lines", columns: ["owner", "position", "text", "note"]))
            let run = { (insert: DiagnosisRows.Insert) in try db.execute(sql: insert.sql, arguments: insert.arguments) }
            for index in 0..<count {
                // Quotes, a NUL-free control, non-ASCII and a NULL: bound as values, never spliced into SQL.
                try rows.add(index / 10, index, "line \(index) ' \" é\t", index % 3 == 0 ? nil : "n\(index)", emit: run)
            }
            try rows.flush(emit: run)
            return try Row.fetchAll(db, sql: "SELECT owner, position, text, note FROM lines ORDER BY id")
        }
        #expect(stored.count == count)
        for (index, row) in stored.enumerated() {
            #expect(row["owner"] as Int? == index / 10)
            #expect(row["position"] as Int? == index)
            #expect(row["text"] as String? == "line \(index) ' \" é\t")
            #expect(row["note"] as String? == (index % 3 == 0 ? nil : "n\(index)"))
        }
    }

    /// A template with a conflict clause updates the rows already there, many to a statement,
    /// as the one-row upsert it replaced did (a rescan records a pipeline's files again).
    @Test func conflictClauseUpdatesRowsInPlace() throws {
        let queue = try DatabaseQueue()
        let template = RowInserter.Template(
            table: "files", columns: ["path", "size"], conflict: "ON CONFLICT (path) DO UPDATE SET size = excluded.size")
        let stored = try queue.write { db -> [Row] in
            try db.execute(sql: "CREATE TABLE files (id INTEGER PRIMARY KEY, path TEXT UNIQUE, size INTEGER)")
            let run = { (insert: DiagnosisRows.Insert) in try db.execute(sql: insert.sql, arguments: insert.arguments) }
            for round in 1...2 {
                var rows = RowInserter(template)
                for index in 0..<(RowInserter.rowsPerStatement + 3) { try rows.add("job\(index).log", index * round, emit: run) }
                try rows.flush(emit: run)
            }
            return try Row.fetchAll(db, sql: "SELECT id, path, size FROM files ORDER BY id")
        }
        #expect(stored.count == RowInserter.rowsPerStatement + 3)
        for (index, row) in stored.enumerated() {
            #expect(row["id"] as Int64? == Int64(index + 1))
            #expect(row["path"] as String? == "job\(index).log")
            #expect(row["size"] as Int? == index * 2)
        }
    }

    /// The statement for a row count holds one group of placeholders per row, one per column.
    @Test func statementsHoldOneGroupOfPlaceholdersPerRow() {
        let template = RowInserter.Template(table: "t", columns: ["a", "b"])
        #expect(template.sql(rows: 1) == "INSERT INTO t (a, b) VALUES (?, ?)")
        #expect(template.sql(rows: 2) == "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)")
        #expect(template.sql(rows: RowInserter.rowsPerStatement).components(separatedBy: "(?, ?)").count == RowInserter.rowsPerStatement + 1)
    }
}
