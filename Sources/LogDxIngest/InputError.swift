/// Input that cannot be analysed. Each case says what, where, and how to fix it.
public enum InputError: Error, Equatable, CustomStringConvertible {
    case notFound(path: String)
    case unreadable(path: String, reason: String)
    case binary(path: String, detail: String)
    /// Compressed data that yielded no line before it broke off or went bad.
    case damaged(path: String, detail: String)
    case empty(sources: [String])
    case noLogFiles(directory: String)

    public var description: String {
        switch self {
        case .notFound(let path):
            return "\(path): no such file or directory. Pass log files, folders of job logs, or - for standard input."
        case .unreadable(let path, let reason):
            return "\(path): cannot be read (\(reason)). Check the path and its permissions."
        case .binary(let path, let detail):
            return "\(path): looks like binary data, not a log (\(detail)). Pass the job's text log (the raw trace or the downloaded log file)."
        case .damaged(let path, let detail):
            return "\(path): \(detail). Download or copy the log again, or check it with `gzip -t`/`zstd -t`."
        case .empty(let sources):
            let what = sources.count == 1 ? sources[0] : "the \(sources.count) inputs"
            return "\(what): no log lines to analyse (the input is empty). Paste or pass a job log."
        case .noLogFiles(let directory):
            return "\(directory): the folder holds no log files (*.log, *.txt, *.trace, *.out, files without an extension, and the same gzip- or zstd-compressed). Point at the folder that holds the job logs."
        }
    }
}
