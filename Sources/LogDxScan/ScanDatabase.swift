import Foundation
import GRDB
import LogDx

/// The results database: SQLite in WAL mode through a GRDB `DatabasePool`, so scans in several
/// processes can share one file (writes are serialised by SQLite's lock, readers never block).
/// A pipeline's results are written in one transaction: a scan killed at any moment leaves every
/// pipeline either fully recorded or absent, never half.
public final class ScanDatabase: Sendable {
    /// How the database is opened: `scan` records into it, `report` only reads (and so works on
    /// a read-only file or folder, and cannot change a file it was given by mistake).
    public enum Access: Sendable {
        case readWrite
        case readOnly
    }

    public let path: String
    /// A WAL pool when writing (several scans share the file); one read-only connection for reports.
    let connection: any DatabaseWriter

    public init(path: String, access: Access = .readWrite) throws(ScanError) {
        self.path = path
        var configuration = Configuration()
        // Another scan may hold the write lock for a pipeline's transaction; wait, do not fail.
        configuration.busyMode = .timeout(120)
        configuration.label = "logdx"
        configuration.readonly = access == .readOnly
        configuration.prepareDatabase { db in try db.execute(sql: Self.connectionPragmas) }
        // Two scans started at the same moment on a new file race to switch it to WAL and to
        // create the tables; SQLite answers the loser "database is locked" at once rather than
        // through the busy timeout, and the loser of the migration race fails on the row the
        // winner recorded; so opening is retried as a whole, with growing pauses. What no retry
        // mends (not SQLite, not logdx's, no permission) is final at once.
        var lastError: (any Error)?
        for attempt in 0..<8 {
            do {
                // Before anything can write (switching to WAL writes the header): a file that
                // is not logdx's is refused unchanged.
                try ScanDatabaseIdentity.check(path: path, access: access)
                switch access {
                case .readOnly:
                    connection = try Self.openReadOnly(path: path, configuration: configuration)
                case .readWrite:
                    let pool = try DatabasePool(path: path, configuration: configuration)
                    try ScanSchema.migrator.migrate(pool)
                    connection = pool
                }
                return
            } catch let error as ScanError {
                throw error
            } catch {
                lastError = error
                if let final = Self.finalError(error, path: path, access: access) { throw final }
                usleep(useconds_t(100_000 * (attempt + 1)))
            }
        }
        let detail = lastError.map(Self.describe) ?? "unknown error"
        throw access == .readOnly
            ? .unreadableDatabase(path: path, detail: detail)
            : .database(path: path, detail: "cannot open it or set up its tables: \(detail)")
    }

    /// Set on every connection. A multi-row insert inside the pipeline's transaction may abort
    /// halfway (a UNIQUE conflict), so SQLite keeps a statement journal of the pages it changes;
    /// past 64 kB that journal went to a temporary file, and recording the corpus pipeline of
    /// `make bench` (40 MB of rows) made 91,000 writes to it. In memory it lives only as long as
    /// one statement. The larger page cache keeps that pipeline's index pages from being spilt to
    /// the WAL and written again; it fills only while a transaction that large is open. Together:
    /// 139,000 writes to 30,000.
    static let connectionPragmas = "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -32768"

    /// A read-only connection, tried with one read. A database in WAL mode is read through its
    /// `-shm` file, which SQLite must create when it is missing (a scan that ended removed it);
    /// in a folder the user cannot write, and with no `-wal` holding changes, nothing can be
    /// writing the file either, so it is read as immutable instead: without the `-shm`.
    static func openReadOnly(path: String, configuration: Configuration) throws -> DatabaseQueue {
        var configuration = configuration
        configuration.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.read { db in _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
            return queue
        } catch let error as DatabaseError where [.SQLITE_READONLY, .SQLITE_CANTOPEN].contains(error.resultCode.primaryResultCode) {
            let folder = (path as NSString).deletingLastPathComponent
            let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? NSNumber
            guard access(folder.isEmpty ? "." : folder, W_OK) != 0, (wal?.int64Value ?? 0) == 0,
                  let uri = immutableURI(path) else { throw error }
            let queue = try DatabaseQueue(path: uri, configuration: configuration)
            try queue.read { db in _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
            return queue
        }
    }

    /// `file:` URI of the path with `immutable=1` (SQLite's URI filenames, percent-encoded).
    static func immutableURI(_ path: String) -> String? {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "/-._~")
        return absolute.addingPercentEncoding(withAllowedCharacters: allowed).map { "file:\($0)?immutable=1" }
    }

    /// The error to report at once for a SQLite failure no retry mends, or nil to try again.
    static func finalError(_ error: any Error, path: String, access: Access) -> ScanError? {
        guard let error = error as? DatabaseError else { return nil }
        switch error.resultCode.primaryResultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return .notADatabase(path: path, detail: describe(error))
        case .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH:
            return access == .readOnly
                ? .unreadableDatabase(path: path, detail: describe(error))
                : .database(path: path, detail: "cannot open it or set up its tables: \(describe(error))")
        default:
            return nil
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? "\(error.resultCode)"
        }
        return "\(error)"
    }

    func wrap<T>(_ body: () throws -> T) throws(ScanError) -> T {
        do {
            return try body()
        } catch let error as ScanError {
            throw error
        } catch let error as DatabaseError where [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(error.resultCode.primaryResultCode) {
            // Damage can sit in a page the first look did not read.
            throw .notADatabase(path: path, detail: Self.describe(error))
        } catch {
            throw .database(path: path, detail: Self.describe(error))
        }
    }

    // MARK: Scans

    public func beginScan(rulesVersion: String, paths: [String]) throws(ScanError) -> Int64 {
        try wrap {
            try connection.write { db in
                try db.execute(
                    sql: "INSERT INTO scans (started_at, rules_version, tool_version, paths) VALUES (?, ?, ?, ?)",
                    arguments: [Date().timeIntervalSince1970, rulesVersion, LogDxVersion.current, paths.joined(separator: "\n")])
                return db.lastInsertedRowID
            }
        }
    }

    public func finishScan(_ id: Int64, scanned: Int, skipped: Int, failed: Int) throws(ScanError) {
        try wrap {
            try connection.write { db in
                try db.execute(
                    sql: "UPDATE scans SET finished_at = ?, scanned = ?, skipped = ?, failed = ? WHERE id = ?",
                    arguments: [Date().timeIntervalSince1970, scanned, skipped, failed, id])
            }
        }
    }

    // MARK: Skipping what is already recorded

    struct StoredFile: Equatable {
        var size: Int64
        var mtime: Double
        var hash: String
    }

    /// What was recorded for a pipeline: the rules version it was diagnosed with and its files.
    /// Asked before each pipeline is scanned, by statements prepared once a connection.
    func stored(key: String) throws(ScanError) -> (rulesVersion: String, files: [String: StoredFile])? {
        try wrap {
            try connection.read { db in
                let pipeline = try db.cachedStatement(sql: "SELECT id, rules_version FROM pipelines WHERE key = ?")
                guard let row = try Row.fetchOne(pipeline, arguments: [key]) else {
                    return nil
                }
                let id: Int64 = row["id"]
                var files: [String: StoredFile] = [:]
                let filesOfPipeline = try db.cachedStatement(sql: "SELECT path, size, mtime, hash FROM files WHERE pipeline_id = ?")
                for file in try Row.fetchAll(filesOfPipeline, arguments: [id]) {
                    files[file["path"]] = StoredFile(size: file["size"], mtime: file["mtime"], hash: file["hash"])
                }
                return (row["rules_version"], files)
            }
        }
    }

    /// Records new mtimes for files whose content did not change (touched, copied, re-downloaded),
    /// so the next scan skips them without hashing.
    func touch(_ files: [ScanFile]) throws(ScanError) {
        try wrap {
            try connection.write { db in
                for file in files {
                    try db.execute(sql: "UPDATE files SET mtime = ?, size = ? WHERE path = ?", arguments: [file.mtime, file.size, file.path])
                }
            }
        }
    }

    // MARK: Recording a pipeline

    /// Replaces everything recorded for the pipeline, in one transaction. `documents` are the
    /// top-level diagnoses' `compactJSON` when the caller has them already.
    func record(_ result: PipelineResult, scanID: Int64?, documents: [String]? = nil) throws(ScanError) {
        try record([(result, documents)], scanID: scanID)
    }

    /// Replaces everything recorded for each pipeline, all in one transaction: each commit
    /// writes every page it touched to the WAL (about a hundred for a pipeline of ten small
    /// jobs, most of them index pages the next pipeline touches again), so committing small
    /// pipelines together writes a fraction of the pages. Each pipeline is still either whole
    /// or absent.
    func record(_ results: [(result: PipelineResult, documents: [String]?)], scanID: Int64?) throws(ScanError) {
        try wrap {
            try connection.write { db in
                // One cache for the batch: its pipelines run the same few statements.
                var statements = StatementCache(db)
                for (result, documents) in results {
                    try Self.insert(result, documents: documents, scanID: scanID, into: &statements, path: path)
                }
            }
        }
    }

    /// Records `result` as `record` does, its statements made on a second thread while this one
    /// runs them; `alongside` runs on that second thread once they are made, with the top-level
    /// diagnoses' `compactJSON` (encoded as their rows were made), and its value is returned.
    /// For pipelines with thousands of diagnoses: below that, waking a thread costs more than
    /// the statements.
    func recordConcurrently<Value: Sendable>(
        _ result: PipelineResult, scanID: Int64?, alongside: @escaping @Sendable ([String]) -> Value
    ) throws(ScanError) -> Value {
        let handoff = InsertHandoff()
        // The maker gets a thread of its own: the writer waits for its statements, so the two
        // must run at once even on one core.
        let maker = SideThread { () -> Value in
            var documents: [String]?
            if let start = handoff.waitForStart() {
                // Stopped by the writer's failure: what it reports is the error.
                documents = try? DiagnosisRows.make(result, documents: nil, pipelineID: start.pipelineID, firstIDs: start.firstIDs) {
                    try handoff.put($0)
                }
                handoff.finish()
            }
            return alongside(documents ?? DiagnosisRows.documents(of: result.analysis?.diagnoses ?? []))
        }
        var failure: ScanError?
        do throws(ScanError) {
            // Whatever ends the writing (its end, a failure, a transaction that never began),
            // the statements' maker stops waiting for it.
            defer { handoff.cancel() }
            try wrap {
                try connection.write { db in
                    var statements = StatementCache(db)
                    guard let start = try Self.insertPipeline(result, scanID: scanID, into: &statements, path: path) else { return }
                    handoff.begin(start)
                    while let inserts = handoff.take() {
                        for insert in inserts { try statements.run(insert) }
                    }
                }
            }
        } catch {
            failure = error
        }
        let value = maker.join()
        if let failure { throw failure }
        return value
    }

    private static func insert(_ result: PipelineResult, documents: [String]?, scanID: Int64?, into statements: inout StatementCache, path: String) throws {
        guard let start = try insertPipeline(result, scanID: scanID, into: &statements, path: path) else { return }
        try DiagnosisRows.make(result, documents: documents, pipelineID: start.pipelineID, firstIDs: start.firstIDs) {
            try statements.run($0)
        }
    }

    /// Where a pipeline's diagnoses go: its row, and the first ids free for them.
    struct RowsStart: Sendable {
        var pipelineID: Int64
        var firstIDs: DiagnosisRows.FirstIDs
    }

    static let upsertPipeline = """
        INSERT INTO pipelines (key, name, format, rules_version, scan_id, scanned_at, seen_at, seen_from, bytes, error, errors, warnings, infos)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (key) DO UPDATE SET
            name = excluded.name, format = excluded.format, rules_version = excluded.rules_version,
            scan_id = excluded.scan_id, scanned_at = excluded.scanned_at, seen_at = excluded.seen_at,
            seen_from = excluded.seen_from, bytes = excluded.bytes, error = excluded.error,
            errors = excluded.errors, warnings = excluded.warnings, infos = excluded.infos
        RETURNING id
        """
    static let upsertFiles = RowInserter.Template(
        table: "files", columns: ["pipeline_id", "path", "size", "mtime", "hash", "error"],
        conflict: """
            ON CONFLICT (path) DO UPDATE SET pipeline_id = excluded.pipeline_id, size = excluded.size,
                mtime = excluded.mtime, hash = excluded.hash, error = excluded.error
            """)
    static let insertJobs = RowInserter.Template(
        table: "jobs", columns: ["pipeline_id", "position", "name", "stage", "status", "exit_code", "line_count", "source", "started_at"])

    /// Records the pipeline's row, files and jobs, replacing what an earlier scan recorded for
    /// it; returns where its diagnoses go, nil when it has no analysis to record. A pipeline's
    /// files and jobs go in one statement each, not one a row: a scan of small pipelines spent
    /// as much on GRDB's work per statement as on SQLite's per row.
    private static func insertPipeline(
        _ result: PipelineResult, scanID: Int64?, into statements: inout StatementCache, path: String
    ) throws -> RowsStart? {
        let db = statements.db
        let analysis = result.analysis
        let diagnoses = analysis?.diagnoses ?? []
        let pipelineID = try Int64.fetchOne(db.cachedStatement(sql: upsertPipeline), arguments: [
            result.pipeline.key, result.pipeline.name,
            analysis.map { $0.pipeline.format?.rawValue ?? "mixed" }, result.rulesVersion, scanID,
            Date().timeIntervalSince1970, result.seenAt, result.seenFromLog ? "log" : "mtime",
            result.pipeline.bytes, result.error,
            diagnoses.filter { $0.severity == .error }.count,
            diagnoses.filter { $0.severity == .warning }.count,
            diagnoses.filter { $0.severity == .info }.count,
        ])
        guard let pipelineID else { throw ScanError.database(path: path, detail: "the pipeline row was not returned") }
        // Children go and come back whole: a rescan replaces, it never appends.
        for table in ["files", "jobs", "diagnoses", "excerpts", "failures"] {
            try Self.execute(db, sql: "DELETE FROM \(table) WHERE pipeline_id = ?", arguments: [pipelineID])
        }
        var files = RowInserter(upsertFiles)
        for file in result.pipeline.files {
            try files.add(pipelineID, file.path, file.size, file.mtime, result.hashes[file.path] ?? "", result.fileErrors[file.path]) {
                try statements.run($0)
            }
        }
        try files.flush { try statements.run($0) }
        guard let analysis else { return nil }
        var jobs = RowInserter(insertJobs)
        for (position, job) in analysis.pipeline.jobsInOrder.enumerated() {
            try jobs.add(pipelineID, position, job.name, job.stage, job.status.rawValue, job.exitCode, job.lineCount, job.source, job.startedAt) {
                try statements.run($0)
            }
        }
        try jobs.flush { try statements.run($0) }
        return RowsStart(pipelineID: pipelineID, firstIDs: try DiagnosisRows.FirstIDs.read(db))
    }

    /// Runs a pipeline's statements, each prepared once per connection and found again without
    /// hashing its SQL: a recording alternates between a few statements (diagnosis, 64 evidence
    /// rows, ...) whose texts are the same strings each time (`RowInserter.Template`), which
    /// compare by identity.
    private struct StatementCache {
        let db: Database
        /// By the SQL's length in bytes (O(1) for a native string): the statements of one table
        /// differ in length by their row count, so a length is rarely shared, and a shared one is
        /// most often the same string, which `==` knows by its storage before reading a byte.
        private var known: [Int: [(sql: String, statement: Statement)]] = [:]

        init(_ db: Database) {
            self.db = db
        }

        mutating func run(_ insert: DiagnosisRows.Insert) throws {
            let length = insert.sql.utf8.count
            let statement: Statement
            if let found = known[length]?.first(where: { $0.sql == insert.sql }) {
                statement = found.statement
            } else {
                statement = try db.cachedStatement(sql: insert.sql)
                known[length, default: []].append((insert.sql, statement))
            }
            try statement.execute(arguments: insert.arguments)
        }
    }

    /// Runs a statement that recording a pipeline runs for each job: prepared once per
    /// connection instead of parsed again each time (an eighth of a scan of small pipelines).
    private static func execute(_ db: Database, sql: String, arguments: StatementArguments) throws {
        try db.cachedStatement(sql: sql).execute(arguments: arguments)
    }

    // MARK: Clusters

    /// Mines the unexplained failures into clusters again and stores them, in one transaction.
    /// Mining all of them in a fixed order (not incrementally per scan) keeps the clusters the
    /// same whichever scans, in whichever order, recorded the failures.
    @discardableResult
    public func rebuildClusters(since: Double? = nil, store: Bool = true) throws(ScanError) -> [MinedCluster] {
        try wrap {
            let work = { (db: Database) throws -> [MinedCluster] in
                // Read into plain values once, by column position: every failure is sorted and
                // looked at several times below, and a GRDB row finds a column by name with a
                // case-insensitive search (a second per 100,000 failures, on one core at the end).
                struct Failure {
                    var id: Int64, job: String, text: String, signature: String, pipeline: String, seenAt: Double, rulesVersion: String
                }
                var failures: [Failure] = []
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT f.id, f.job, f.text, f.signature, p.name, p.seen_at, p.rules_version
                    FROM failures f JOIN pipelines p ON p.id = f.pipeline_id
                    WHERE p.seen_at >= ?
                    ORDER BY p.key, f.job
                    """, arguments: [since ?? -Double.greatestFiniteMagnitude])
                while let row = try rows.next() {
                    failures.append(Failure(id: row[0], job: row[1], text: row[2], signature: row[3], pipeline: row[4], seenAt: row[5], rulesVersion: row[6]))
                }
                var miner = TemplateMiner()
                var members: [Int: [Int]] = [:]
                var assignment: [(Int64, Int)] = []
                for (index, failure) in failures.enumerated() {
                    let cluster = miner.add(failure.signature)
                    members[cluster, default: []].append(index)
                    assignment.append((failure.id, cluster))
                }
                var result: [MinedCluster] = []
                for cluster in miner.clusters {
                    let indices = members[cluster.id] ?? []
                    let seen = indices.map { failures[$0].seenAt }
                    let examples = indices.sorted { failures[$0].seenAt > failures[$1].seenAt }.prefix(3).map {
                        MinedCluster.Example(pipeline: failures[$0].pipeline, job: failures[$0].job, line: failures[$0].text)
                    }
                    result.append(MinedCluster(
                        id: cluster.id, signature: cluster.template, count: indices.count,
                        firstSeen: seen.min() ?? 0, lastSeen: seen.max() ?? 0, examples: Array(examples)))
                }
                if store {
                    try db.execute(sql: "DELETE FROM clusters")
                    let version = failures.last?.rulesVersion ?? ""
                    let upsert = try db.makeStatement(sql: """
                        INSERT INTO clusters (template, size, first_seen, last_seen, rules_version) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (template) DO UPDATE SET size = size + excluded.size,
                            first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen)
                        RETURNING id
                        """)
                    var ids: [Int: Int64] = [:]
                    for cluster in result {
                        // Two clusters can end with one template (the tree routes by their first
                        // tokens); they are one signature to the reader, so they are stored once.
                        ids[cluster.id] = try Int64.fetchOne(upsert, arguments: [
                            cluster.signature, cluster.count, cluster.firstSeen, cluster.lastSeen, version])
                    }
                    let assign = try db.makeStatement(sql: "UPDATE failures SET cluster_id = ? WHERE id = ?")
                    for (failure, cluster) in assignment {
                        try assign.execute(arguments: [ids[cluster], failure])
                    }
                }
                return Self.merge(result)
            }
            return store ? try connection.write(work) : try connection.read(work)
        }
    }

    /// Clusters with the same template are one signature; sorted by size, largest first.
    static func merge(_ clusters: [MinedCluster]) -> [MinedCluster] {
        var byTemplate: [String: MinedCluster] = [:]
        var order: [String] = []
        for cluster in clusters {
            if var existing = byTemplate[cluster.signature] {
                existing.count += cluster.count
                existing.firstSeen = min(existing.firstSeen, cluster.firstSeen)
                existing.lastSeen = max(existing.lastSeen, cluster.lastSeen)
                existing.examples = Array((existing.examples + cluster.examples).prefix(3))
                byTemplate[cluster.signature] = existing
            } else {
                byTemplate[cluster.signature] = cluster
                order.append(cluster.signature)
            }
        }
        return order.compactMap { byTemplate[$0] }.sorted { ($0.count, $1.signature) > ($1.count, $0.signature) }
    }
}

/// A cluster of unexplained failures with one template.
public struct MinedCluster: Sendable, Equatable, Encodable {
    public struct Example: Sendable, Equatable, Codable {
        public var pipeline: String
        public var job: String
        public var line: String
    }

    var id: Int
    public var signature: String
    public var count: Int
    public var firstSeen: Double
    public var lastSeen: Double
    public var examples: [Example]
}
