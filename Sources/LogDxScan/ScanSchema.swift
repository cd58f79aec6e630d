import GRDB

/// The database's versioned schema. Migrations are only ever appended; a released one never
/// changes. Every statement is idempotent because two scans may open a new database at the same
/// moment and both try to apply it: the loser's retry then finds it applied.
enum ScanSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1", foreignKeyChecks: .immediate) { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS scans (
                    id INTEGER PRIMARY KEY,
                    started_at REAL NOT NULL,
                    finished_at REAL,
                    rules_version TEXT NOT NULL,
                    tool_version TEXT NOT NULL,
                    paths TEXT NOT NULL,
                    scanned INTEGER NOT NULL DEFAULT 0,
                    skipped INTEGER NOT NULL DEFAULT 0,
                    failed INTEGER NOT NULL DEFAULT 0
                );
                CREATE TABLE IF NOT EXISTS pipelines (
                    id INTEGER PRIMARY KEY,
                    key TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    format TEXT,
                    rules_version TEXT NOT NULL,
                    scan_id INTEGER REFERENCES scans(id) ON DELETE SET NULL,
                    scanned_at REAL NOT NULL,
                    seen_at REAL NOT NULL,
                    seen_from TEXT NOT NULL CHECK (seen_from IN ('log', 'mtime')),
                    bytes INTEGER NOT NULL,
                    error TEXT,
                    errors INTEGER NOT NULL DEFAULT 0,
                    warnings INTEGER NOT NULL DEFAULT 0,
                    infos INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX IF NOT EXISTS pipelines_seen ON pipelines(seen_at);
                CREATE TABLE IF NOT EXISTS files (
                    id INTEGER PRIMARY KEY,
                    pipeline_id INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
                    path TEXT NOT NULL UNIQUE,
                    size INTEGER NOT NULL,
                    mtime REAL NOT NULL,
                    hash TEXT NOT NULL,
                    error TEXT
                );
                CREATE INDEX IF NOT EXISTS files_pipeline ON files(pipeline_id);
                CREATE TABLE IF NOT EXISTS jobs (
                    id INTEGER PRIMARY KEY,
                    pipeline_id INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    stage TEXT,
                    status TEXT NOT NULL,
                    exit_code INTEGER,
                    line_count INTEGER NOT NULL,
                    source TEXT NOT NULL,
                    started_at REAL,
                    UNIQUE (pipeline_id, position)
                );
                CREATE TABLE IF NOT EXISTS diagnoses (
                    id INTEGER PRIMARY KEY,
                    pipeline_id INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    parent_id INTEGER REFERENCES diagnoses(id) ON DELETE CASCADE,
                    rule TEXT NOT NULL,
                    severity TEXT NOT NULL,
                    title TEXT NOT NULL,
                    explanation TEXT NOT NULL,
                    jobs TEXT NOT NULL,
                    fixes TEXT NOT NULL,
                    docs TEXT NOT NULL,
                    UNIQUE (pipeline_id, position)
                );
                CREATE INDEX IF NOT EXISTS diagnoses_rule ON diagnoses(rule);
                CREATE TABLE IF NOT EXISTS evidence (
                    diagnosis_id INTEGER NOT NULL REFERENCES diagnoses(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    job TEXT NOT NULL,
                    source TEXT NOT NULL,
                    line INTEGER NOT NULL,
                    text TEXT NOT NULL,
                    event TEXT NOT NULL,
                    PRIMARY KEY (diagnosis_id, position)
                );
                CREATE TABLE IF NOT EXISTS excerpts (
                    id INTEGER PRIMARY KEY,
                    pipeline_id INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
                    job TEXT NOT NULL,
                    source TEXT NOT NULL,
                    explained INTEGER NOT NULL,
                    UNIQUE (pipeline_id, job)
                );
                CREATE TABLE IF NOT EXISTS excerpt_lines (
                    excerpt_id INTEGER NOT NULL REFERENCES excerpts(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    line INTEGER NOT NULL,
                    text TEXT NOT NULL,
                    PRIMARY KEY (excerpt_id, position)
                );
                CREATE TABLE IF NOT EXISTS failures (
                    id INTEGER PRIMARY KEY,
                    pipeline_id INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
                    job TEXT NOT NULL,
                    source TEXT NOT NULL,
                    line INTEGER NOT NULL,
                    text TEXT NOT NULL,
                    signature TEXT NOT NULL,
                    cluster_id INTEGER,
                    UNIQUE (pipeline_id, job)
                );
                CREATE TABLE IF NOT EXISTS clusters (
                    id INTEGER PRIMARY KEY,
                    template TEXT NOT NULL UNIQUE,
                    size INTEGER NOT NULL,
                    first_seen REAL NOT NULL,
                    last_seen REAL NOT NULL,
                    rules_version TEXT NOT NULL
                );
                """)
        }
        // Marks the file as logdx's, for `ScanDatabaseIdentity`. Appended, so a database
        // written before it gets the mark on its next scan.
        migrator.registerMigration("v2-application-id") { db in
            try db.execute(sql: "PRAGMA application_id = \(ScanDatabaseIdentity.applicationID)")
        }
        // The values each diagnosis bound (`missing.package` = rdflib), one row per value, so a
        // report can count packages and paths without reading titles.
        migrator.registerMigration("v3-bindings", foreignKeyChecks: .immediate) { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS bindings (
                    diagnosis_id INTEGER NOT NULL REFERENCES diagnoses(id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (diagnosis_id, name, position)
                );
                CREATE INDEX IF NOT EXISTS bindings_value ON bindings(name, value);
                """)
        }
        // Each diagnosis as JSON output prints it (`DiagnosisRecord`): one serialisation for both,
        // fixes with their patches included. Checked first, so a second scan racing to apply it
        // finds the column there.
        migrator.registerMigration("v4-diagnosis-document") { db in
            if try !db.columns(in: "diagnoses").contains(where: { $0.name == "document" }) {
                try db.execute(sql: "ALTER TABLE diagnoses ADD COLUMN document TEXT NOT NULL DEFAULT '{}'")
            }
        }
        return migrator
    }
}
