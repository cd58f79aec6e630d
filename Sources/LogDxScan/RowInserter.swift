import GRDB

/// Inserts rows of one table many to a statement. A large pipeline records tens of thousands of
/// evidence, binding and excerpt line rows, and GRDB's work per executed statement (checking and
/// binding the arguments, resetting, watching for the end of the transaction) cost more than
/// SQLite's per row: 64 rows a statement spread it (a third fewer instructions to record a
/// pipeline of 100 jobs).
struct RowInserter {
    static let rowsPerStatement = 64

    private let prefix: String
    private let placeholders: String
    private let fullStatement: String
    private let columnCount: Int
    private var values: [(any DatabaseValueConvertible)?] = []

    init(table: String, columns: [String]) {
        prefix = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        placeholders = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        fullStatement = prefix + Array(repeating: placeholders, count: Self.rowsPerStatement).joined(separator: ", ")
        columnCount = columns.count
        values.reserveCapacity(Self.rowsPerStatement * columns.count)
    }

    /// Adds a row (one value per column, in order); hands `emit` the statement inserting the
    /// rows held once there are enough.
    mutating func add(_ row: (any DatabaseValueConvertible)?..., emit: (DiagnosisRows.Insert) throws -> Void) throws {
        precondition(row.count == columnCount, "a row of \(row.count) values for \(columnCount) columns")
        values.append(contentsOf: row)
        if values.count == Self.rowsPerStatement * columnCount { try flush(emit: emit) }
    }

    /// Hands `emit` the statement inserting the rows still held.
    mutating func flush(emit: (DiagnosisRows.Insert) throws -> Void) throws {
        guard !values.isEmpty else { return }
        let rows = values.count / columnCount
        // Full statements are all alike and prepared once; the last, shorter one once a pipeline.
        let sql = rows == Self.rowsPerStatement ? fullStatement : prefix + Array(repeating: placeholders, count: rows).joined(separator: ", ")
        // (From existentials: GRDB converts a sequence of `DatabaseValue`s through a key path,
        // a third of the cost of binding them.)
        try emit(DiagnosisRows.Insert(sql: sql, arguments: StatementArguments(values)))
        values.removeAll(keepingCapacity: true)
    }
}
