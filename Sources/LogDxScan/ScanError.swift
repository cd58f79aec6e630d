/// Why a scan, a file of it, or a report could not go on. Each case says what, where, and how to fix it.
public enum ScanError: Error, Equatable, CustomStringConvertible {
    case notFound(path: String)
    case unreadable(path: String, reason: String)
    case badGroupPattern(pattern: String, reason: String)
    /// A compressed log whose data broke off or went bad; what came before was analysed.
    case damaged(path: String, detail: String)
    case database(path: String, detail: String)
    /// Not SQLite at all, or SQLite damaged past reading.
    case notADatabase(path: String, detail: String)
    /// A SQLite file, or an empty one, that is not logdx's results database.
    case foreignDatabase(path: String, detail: String)
    /// The database could not be opened for reading (`report`).
    case unreadableDatabase(path: String, detail: String)
    case badDate(String)
    /// A `report --from` file that is not a report's JSON.
    case badReport(path: String, detail: String)

    public var description: String {
        switch self {
        case .notFound(let path):
            return "\(path): no such file or directory. Pass folders of pipelines (a folder of job logs is one pipeline) or log files."
        case .unreadable(let path, let reason):
            return "\(path): cannot be read (\(reason)). Check the path and its permissions."
        case .badGroupPattern(let pattern, let reason):
            return "--group-by '\(pattern)': \(reason). Give a regular expression with one capture group over the path relative to the scanned folder, e.g. '^([^/]+)/'."
        case .damaged(let path, let detail):
            return "\(path): \(detail). Download the log again, or check it with `gzip -t` or `zstd -t`."
        case .database(let path, let detail):
            return "\(path): cannot use the results database (\(detail)). Check that the file and its folder are writable, or pass another file with --db."
        case .notADatabase(let path, let detail):
            return "\(path): not a SQLite database, or a damaged one (\(detail)); logdx left it unchanged. Pass the database `logdx scan` wrote with --db, or a new file name to start one."
        case .foreignDatabase(let path, let detail):
            return "\(path): not logdx's results database (\(detail)); logdx left it unchanged. Pass the database `logdx scan` wrote with --db, or a new file name to start one."
        case .unreadableDatabase(let path, let detail):
            return "\(path): cannot read the results database (\(detail)). Check that the file can be read, or pass another one with --db."
        case .badDate(let text):
            return "'\(text)' is not a date. Use YYYY-MM-DD or an ISO 8601 time such as 2026-11-20T08:00:00Z."
        case .badReport(let path, let detail):
            return "\(path): not a report (\(detail)). Pass the JSON `logdx report --format json` or the Spark job (report.json) wrote."
        }
    }
}
