import GRDB
import LogDx

/// The statements that record a pipeline's diagnoses (with their evidence and bindings), excerpts
/// and failures, made without the database: every id a row refers to is known in advance, from
/// the first free id of each table, so they can be made on one thread while another runs them.
/// Recording the corpus pipeline of `make bench` (4,000 diagnoses, 100,000 rows) spent a third of
/// its time making arguments on the writer's thread while the other core had nothing to do.
struct DiagnosisRows {
    /// One statement and its arguments.
    struct Insert: Sendable {
        let sql: String
        let arguments: StatementArguments
    }

    /// The first id each table gives a new row: one past its largest, as SQLite numbers an
    /// `INTEGER PRIMARY KEY` row inserted without one, so the explicit ids are those SQLite
    /// would have chosen.
    struct FirstIDs: Sendable {
        var diagnosis: Int64
        var excerpt: Int64

        /// Read once a pipeline, by statements prepared once a connection (preparing them again
        /// was a tenth of recording a small pipeline).
        static func read(_ db: Database) throws -> FirstIDs {
            FirstIDs(
                diagnosis: try Int64.fetchOne(db.cachedStatement(sql: "SELECT COALESCE(MAX(id), 0) + 1 FROM diagnoses")) ?? 1,
                excerpt: try Int64.fetchOne(db.cachedStatement(sql: "SELECT COALESCE(MAX(id), 0) + 1 FROM excerpts")) ?? 1)
        }
    }

    static let insertDiagnosis = """
        INSERT INTO diagnoses (id, pipeline_id, position, parent_id, rule, severity, title, explanation, jobs, fixes, docs, document)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    static let insertExcerpt = "INSERT INTO excerpts (id, pipeline_id, job, source, explained) VALUES (?, ?, ?, ?, ?)"
    static let insertEvidence = RowInserter.Template(
        table: "evidence", columns: ["diagnosis_id", "position", "job", "source", "line", "text", "event"])
    static let insertBindings = RowInserter.Template(table: "bindings", columns: ["diagnosis_id", "name", "position", "value"])
    static let insertExcerptLines = RowInserter.Template(table: "excerpt_lines", columns: ["excerpt_id", "position", "line", "text"])
    static let insertFailure = """
        INSERT INTO failures (pipeline_id, job, source, line, text, signature) VALUES (?, ?, ?, ?, ?, ?)
        """

    /// Calls `emit` with each statement, in the order they must run, and returns the top-level
    /// diagnoses' `compactJSON` (the JSON line splices them). `documents` are those when the
    /// caller has them already; otherwise each is encoded just before its row.
    @discardableResult
    static func make(
        _ result: PipelineResult, documents: [String]?, pipelineID: Int64, firstIDs: FirstIDs, emit: (Insert) throws -> Void
    ) throws -> [String] {
        guard let analysis = result.analysis else { return [] }
        let diagnoses = analysis.diagnoses
        var nextID = firstIDs.diagnosis
        var position = 0
        var evidenceRows = RowInserter(insertEvidence)
        var bindingRows = RowInserter(insertBindings)
        var topLevelDocuments: [String] = []
        func add(_ diagnosis: Diagnosis, parent: Int64?, document: String? = nil) throws {
            let id = nextID
            nextID += 1
            let document = document ?? DiagnosisRecord(diagnosis, ranked: parent == nil).compactJSON
            if parent == nil { topLevelDocuments.append(document) }
            try emit(Insert(sql: insertDiagnosis, arguments: [
                id, pipelineID, position, parent, diagnosis.rule, diagnosis.severity.rawValue, diagnosis.title,
                diagnosis.explanation, CompactRecordWriter.json(diagnosis.jobs),
                CompactRecordWriter.json(summaries: diagnosis.fixes), CompactRecordWriter.json(diagnosis.docs), document,
            ]))
            position += 1
            for (index, evidence) in diagnosis.evidence.enumerated() {
                try evidenceRows.add(id, index, evidence.job, evidence.source, evidence.line, evidence.text, evidence.event, emit: emit)
            }
            for (name, values) in diagnosis.bindings {
                for (index, value) in values.enumerated() {
                    try bindingRows.add(id, name, index, value, emit: emit)
                }
            }
            for symptom in diagnosis.symptoms { try add(symptom, parent: id) }
        }
        let documents = documents?.count == diagnoses.count ? documents : nil
        for (index, diagnosis) in diagnoses.enumerated() { try add(diagnosis, parent: nil, document: documents?[index]) }
        try evidenceRows.flush(emit: emit)
        try bindingRows.flush(emit: emit)
        var excerptLineRows = RowInserter(insertExcerptLines)
        for (offset, excerpt) in analysis.excerpts.enumerated() {
            let id = firstIDs.excerpt + Int64(offset)
            try emit(Insert(sql: insertExcerpt, arguments: [id, pipelineID, excerpt.job, excerpt.source, excerpt.explained]))
            for (index, line) in excerpt.lines.enumerated() {
                try excerptLineRows.add(id, index, line.line, line.text, emit: emit)
            }
        }
        try excerptLineRows.flush(emit: emit)
        for failure in result.failures {
            try emit(Insert(sql: insertFailure, arguments: [
                pipelineID, failure.job, failure.source, failure.signature.line, failure.signature.text, failure.signature.normalized,
            ]))
        }
        return topLevelDocuments
    }

    /// The top-level diagnoses' `compactJSON`, as `make` returns them, without the statements.
    static func documents(of diagnoses: [Diagnosis]) -> [String] {
        DiagnosisRecord.compactJSON(of: diagnoses.map { DiagnosisRecord($0, ranked: true) })
    }
}
