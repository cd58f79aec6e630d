/// Why a scan, a file of it, or a report could not go on. Each case says what, where, and how to fix it.
public enum ScanError: Error, Equatable, CustomStringConvertible {
    case notFound(path: String)
    case unreadable(path: String, reason: String)
    case badGroupPattern(pattern: String, reason: String)
    case gzip(path: String, detail: String)
    case database(path: String, detail: String)
    case badDate(String)

    public var description: String {
        switch self {
        case .notFound(let path):
            return "\(path): no such file or directory. Pass folders of pipelines (a folder of job logs is one pipeline) or log files."
        case .unreadable(let path, let reason):
            return "\(path): cannot be read (\(reason)). Check the path and its permissions."
        case .badGroupPattern(let pattern, let reason):
            return "--group-by '\(pattern)': \(reason). Give a regular expression with one capture group over the path relative to the scanned folder, e.g. '^([^/]+)/'."
        case .gzip(let path, let detail):
            return "\(path): the gzip data is damaged (\(detail)); only the part before the damage was analysed. Re-download the log, or check it with `gzip -t \(path)`."
        case .database(let path, let detail):
            return "\(path): cannot use the results database (\(detail)). Check that the folder is writable, or pass another file with --db."
        case .badDate(let text):
            return "'\(text)' is not a date. Use YYYY-MM-DD or an ISO 8601 time such as 2026-11-20T08:00:00Z."
        }
    }
}
