import GRDB

/// Inserts rows of one table many to a statement. A large pipeline records tens of thousands of
/// evidence, binding and excerpt line rows, and GRDB's work per executed statement (checking and
/// binding the arguments, resetting, watching for the end of the transaction) cost more than
/// SQLite's per row: 64 rows a statement spread it (a third fewer instructions to record a
/// pipeline of 100 jobs).
struct RowInserter {
    static let rowsPerStatement = 64

    /// The statements inserting 1 to `rowsPerStatement` rows into one table, made once a
    /// process: a scan of small pipelines made them for every pipeline (a 64-row statement is
    /// 2 kB of SQL), and each pipeline ends every table with a shorter statement of its own
    /// length. Made once, equal statements are the same string, found again by identity.
    struct Template: Sendable {
        let columnCount: Int
        private let statements: [String]

        /// - Parameter conflict: an `ON CONFLICT …` clause ending each statement, or nothing.
        init(table: String, columns: [String], conflict: String = "") {
            let prefix = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
            let placeholders = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
            let suffix = conflict.isEmpty ? "" : " " + conflict
            columnCount = columns.count
            statements = (1...RowInserter.rowsPerStatement).map { rows in
                prefix + Array(repeating: placeholders, count: rows).joined(separator: ", ") + suffix
            }
        }

        /// The statement inserting `rows` rows, 1 to `rowsPerStatement`.
        func sql(rows: Int) -> String {
            statements[rows - 1]
        }
    }

    private let template: Template
    private var values: [(any DatabaseValueConvertible)?] = []

    init(_ template: Template) {
        self.template = template
        values.reserveCapacity(Self.rowsPerStatement * template.columnCount)
    }

    /// Adds a row (one value per column, in order); hands `emit` the statement inserting the
    /// rows held once there are enough.
    mutating func add(_ row: (any DatabaseValueConvertible)?..., emit: (DiagnosisRows.Insert) throws -> Void) throws {
        precondition(row.count == template.columnCount, "a row of \(row.count) values for \(template.columnCount) columns")
        values.append(contentsOf: row)
        if values.count == Self.rowsPerStatement * template.columnCount { try flush(emit: emit) }
    }

    /// Hands `emit` the statement inserting the rows still held.
    mutating func flush(emit: (DiagnosisRows.Insert) throws -> Void) throws {
        guard !values.isEmpty else { return }
        // (From existentials: GRDB converts a sequence of `DatabaseValue`s through a key path,
        // a third of the cost of binding them.)
        try emit(DiagnosisRows.Insert(sql: template.sql(rows: values.count / template.columnCount), arguments: StatementArguments(values)))
        values.removeAll(keepingCapacity: true)
    }
}
