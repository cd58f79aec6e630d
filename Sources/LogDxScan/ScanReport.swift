import Foundation
import GRDB

/// What a database of scans says: the causes that fail pipelines most, how they moved week by
/// week, which jobs they hit, and the failures no rule explains, clustered by signature.
/// "Seen" is when the pipeline ran: its logs' first timestamp, else its files' mtime.
public struct ScanReport: Sendable, Codable {
    public struct Totals: Sendable, Codable {
        public var pipelines: Int
        /// Pipelines with at least one error or warning diagnosis.
        public var diagnosed: Int
        /// Pipelines that could not be analysed (no readable input).
        public var unreadable: Int
        /// Failed jobs no rule explains.
        public var unexplainedFailures: Int
        public var firstSeen: String?
        public var lastSeen: String?

        enum CodingKeys: String, CodingKey {
            case pipelines, diagnosed, unreadable, unexplainedFailures = "unexplained_failures", firstSeen = "first_seen", lastSeen = "last_seen"
        }
    }

    public struct Cause: Sendable, Codable {
        public struct Example: Sendable, Codable {
            public var pipeline: String
            public var title: String
            public var seen: String
            /// Where to look: the pipeline's folder, or its log file when a pattern grouped
            /// files into pipelines.
            public var link: String?
        }

        public struct JobCount: Sendable, Codable {
            public var job: String
            public var count: Int
        }

        public struct Week: Sendable, Codable {
            public var week: String
            public var count: Int
        }

        public var rule: String
        public var severity: String
        /// The most recent diagnosis's title (titles name the packages and jobs of each case).
        public var title: String
        /// The first fix the most recent diagnosis proposes.
        public var fix: String?
        /// Pipelines the rule diagnosed (once per pipeline, however many diagnoses it made there).
        public var count: Int
        public var firstSeen: String
        public var lastSeen: String
        public var examples: [Example]
        public var jobs: [JobCount]
        public var weekly: [Week]

        enum CodingKeys: String, CodingKey {
            case rule, severity, title, fix, count, firstSeen = "first_seen", lastSeen = "last_seen", examples, jobs, weekly
        }
    }

    public struct Cluster: Sendable, Codable {
        public var signature: String
        public var count: Int
        public var firstSeen: String
        public var lastSeen: String
        public var examples: [MinedCluster.Example]

        enum CodingKeys: String, CodingKey {
            case signature, count, firstSeen = "first_seen", lastSeen = "last_seen", examples
        }
    }

    public var generatedAt: String
    public var since: String?
    public var rulesVersions: [String]
    public var totals: Totals
    /// Monday of each week from the first seen to the last, for the trend.
    public var weeks: [String]
    /// Pipelines seen per week (same order as `weeks`).
    public var pipelinesPerWeek: [Int]
    /// Of those, the pipelines with a failed job: the failure rate is this over `pipelinesPerWeek`.
    public var failedPerWeek: [Int]
    public var causes: [Cause]
    public var clusters: [Cluster]

    enum CodingKeys: String, CodingKey {
        case generatedAt = "generated_at", since, rulesVersions = "rules_versions", totals, weeks,
             pipelinesPerWeek = "pipelines_per_week", failedPerWeek = "failed_per_week", causes, clusters
    }

    /// Builds the report from the database; `since` keeps pipelines seen at or after it.
    public static func build(from database: ScanDatabase, since: Double? = nil, now: Date = Date()) throws(ScanError) -> ScanReport {
        let lower = since ?? -Double.greatestFiniteMagnitude
        let clusters = try database.rebuildClusters(since: since, store: false)
        return try database.wrap {
            try database.connection.read { db in
                let pipelines = try Row.fetchAll(db, sql: """
                    SELECT p.id, p.seen_at, p.error IS NOT NULL AS unreadable,
                           EXISTS (SELECT 1 FROM jobs j WHERE j.pipeline_id = p.id AND j.status = 'failed') AS failed,
                           EXISTS (SELECT 1 FROM diagnoses d WHERE d.pipeline_id = p.id AND d.parent_id IS NULL AND d.severity IN ('error', 'warning')) AS diagnosed
                    FROM pipelines p WHERE p.seen_at >= ?
                    """, arguments: [lower])
                let seen = pipelines.map { $0["seen_at"] as Double }
                let unexplained = try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM failures f JOIN pipelines p ON p.id = f.pipeline_id WHERE p.seen_at >= ?
                    """, arguments: [lower]) ?? 0
                let versions = try String.fetchAll(db, sql: "SELECT DISTINCT rules_version FROM pipelines WHERE seen_at >= ? ORDER BY rules_version", arguments: [lower])
                let totals = Totals(
                    pipelines: pipelines.count,
                    diagnosed: pipelines.filter { $0["diagnosed"] as Bool }.count,
                    unreadable: pipelines.filter { $0["unreadable"] as Bool }.count,
                    unexplainedFailures: unexplained,
                    firstSeen: seen.min().map(ReportDates.iso), lastSeen: seen.max().map(ReportDates.iso))

                var weekStarts: [Double] = []
                if let first = seen.min(), let last = seen.max() {
                    var week = ReportDates.weekStart(first)
                    while week <= last {
                        weekStarts.append(week)
                        week += 7 * 86_400
                    }
                }
                func weekIndex(_ seconds: Double) -> Int? {
                    guard let first = weekStarts.first else { return nil }
                    let index = Int(((ReportDates.weekStart(seconds) - first) / (7 * 86_400)).rounded())
                    return weekStarts.indices.contains(index) ? index : nil
                }
                var perWeek = [Int](repeating: 0, count: weekStarts.count)
                var failedPerWeek = perWeek
                for row in pipelines {
                    guard let index = weekIndex(row["seen_at"]) else { continue }
                    perWeek[index] += 1
                    if row["failed"] as Bool { failedPerWeek[index] += 1 }
                }

                // Top-level diagnoses only: a symptom is explained by its root cause. Notes
                // (info) are advice, not causes of failure.
                let rows = try Row.fetchAll(db, sql: """
                    SELECT d.rule, d.severity, d.title, d.jobs, d.fixes, p.id AS pipeline_id, p.name, p.key, p.seen_at,
                           (SELECT min(f.path) FROM files f WHERE f.pipeline_id = p.id) AS first_file
                    FROM diagnoses d JOIN pipelines p ON p.id = d.pipeline_id
                    WHERE d.parent_id IS NULL AND d.severity IN ('error', 'warning') AND p.seen_at >= ?
                    ORDER BY p.seen_at DESC, p.key, d.position
                    """, arguments: [lower])
                struct Tally {
                    var severity = ""
                    var title = ""
                    var fix: String?
                    var pipelines: Set<Int64> = []
                    var first = Double.greatestFiniteMagnitude
                    var last = -Double.greatestFiniteMagnitude
                    var examples: [Cause.Example] = []
                    var jobs: [String: Int] = [:]
                    var weeks: [Int: Set<Int64>] = [:]
                }
                var tallies: [String: Tally] = [:]
                for row in rows {
                    let rule: String = row["rule"]
                    let pipeline: Int64 = row["pipeline_id"]
                    let seenAt: Double = row["seen_at"]
                    var tally = tallies[rule] ?? Tally()
                    if tally.title.isEmpty {
                        tally.title = row["title"]
                        tally.severity = row["severity"]
                        tally.fix = Self.firstFix(row["fixes"])
                    }
                    let isNew = tally.pipelines.insert(pipeline).inserted
                    tally.first = min(tally.first, seenAt)
                    tally.last = max(tally.last, seenAt)
                    if isNew && tally.examples.count < 3 {
                        let key: String = row["key"]
                        // A pattern-grouped pipeline's key is not a path; its first file is.
                        let link: String? = key.contains("#") ? row["first_file"] : key
                        tally.examples.append(Cause.Example(pipeline: row["name"], title: row["title"], seen: ReportDates.iso(seenAt), link: link))
                    }
                    let jobsJSON: String = row["jobs"]
                    let jobs = (try? JSONDecoder().decode([String].self, from: Data(jobsJSON.utf8))) ?? []
                    for job in Set(jobs) { tally.jobs[job, default: 0] += 1 }
                    if let index = weekIndex(seenAt) { tally.weeks[index, default: []].insert(pipeline) }
                    tallies[rule] = tally
                }
                let causes = tallies.map { rule, tally in
                    Cause(
                        rule: rule, severity: tally.severity, title: tally.title, fix: tally.fix, count: tally.pipelines.count,
                        firstSeen: ReportDates.iso(tally.first), lastSeen: ReportDates.iso(tally.last), examples: tally.examples,
                        jobs: tally.jobs.map { Cause.JobCount(job: $0.key, count: $0.value) }
                            .sorted { ($0.count, $1.job) > ($1.count, $0.job) }.prefix(5).map { $0 },
                        weekly: weekStarts.indices.map { Cause.Week(week: ReportDates.day(weekStarts[$0]), count: tally.weeks[$0]?.count ?? 0) })
                }.sorted { ($0.count, $1.rule) > ($1.count, $0.rule) }

                // Weeks without a pipeline at either end say nothing (a --since before the first
                // pipeline, rounding to Mondays).
                let kept = (perWeek.firstIndex { $0 > 0 } ?? 0)..<((perWeek.lastIndex { $0 > 0 } ?? -1) + 1)
                let trimmedCauses = causes.map { cause in
                    var cause = cause
                    cause.weekly = Array(cause.weekly[kept])
                    return cause
                }
                return ScanReport(
                    generatedAt: ReportDates.iso(now.timeIntervalSince1970), since: since.map(ReportDates.iso),
                    rulesVersions: versions, totals: totals,
                    weeks: Array(weekStarts.map(ReportDates.day)[kept]), pipelinesPerWeek: Array(perWeek[kept]),
                    failedPerWeek: Array(failedPerWeek[kept]), causes: trimmedCauses,
                    clusters: clusters.map {
                        Cluster(signature: $0.signature, count: $0.count, firstSeen: ReportDates.iso($0.firstSeen),
                                lastSeen: ReportDates.iso($0.lastSeen), examples: $0.examples)
                    })
            }
        }
    }

    /// The summary of the first fix in a diagnosis's stored fixes (a JSON array).
    static func firstFix(_ json: String?) -> String? {
        guard let json, let fixes = try? JSONDecoder().decode([[String: String]].self, from: Data(json.utf8)) else { return nil }
        return fixes.first?["summary"]
    }

    /// A report written as JSON (by `report --format json`, or by the Spark job in the same
    /// shape), to render it again without the database.
    public static func read(path: String) throws(ScanError) -> ScanReport {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .badReport(path: path, detail: FileManager.default.fileExists(atPath: path) ? "cannot read the file" : "no such file")
        }
        do {
            return try JSONDecoder().decode(ScanReport.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw .badReport(path: path, detail: "no `\(key.stringValue)` at \(Self.place(context))")
        } catch let DecodingError.typeMismatch(_, context) {
            throw .badReport(path: path, detail: "\(context.debugDescription) at \(Self.place(context))")
        } catch let DecodingError.valueNotFound(_, context) {
            throw .badReport(path: path, detail: "a null at \(Self.place(context))")
        } catch {
            throw .badReport(path: path, detail: "not JSON")
        }
    }

    private static func place(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        return path.isEmpty ? "the top level" : path
    }

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
