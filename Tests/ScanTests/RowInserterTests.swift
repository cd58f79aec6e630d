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
            var rows = RowInserter(table: "lines", columns: ["owner", "position", "text", "note"])
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
}
