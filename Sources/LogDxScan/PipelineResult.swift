import LogDx

/// What one pipeline's scan produced, ready to be recorded in one transaction.
struct PipelineResult: Sendable {
    struct Failure: Sendable {
        var job: String
        var source: String
        var signature: FailureSignature
    }

    var pipeline: ScanPipeline
    var rulesVersion: String
    /// Content hash of each file, by absolute path.
    var hashes: [String: String]
    /// Per-file problems (a damaged `.gz`), by absolute path.
    var fileErrors: [String: String]
    /// `nil` when the pipeline could not be analysed at all; `error` says why.
    var analysis: Analysis?
    var error: String?
    /// When the pipeline ran: its jobs' earliest log timestamp, else its files' earliest mtime.
    var seenAt: Double
    var seenFromLog: Bool
    /// Failed jobs no rule explains, with the line that names the failure.
    var failures: [Failure]
}
