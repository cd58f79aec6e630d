/// Diagnosed pipelines waiting to be recorded in one transaction.
///
/// A commit writes every page it changed to the WAL, and a pipeline of ten small jobs changes
/// about a hundred (each table's and index's last pages, which the next pipeline changes again):
/// recording 10,000 small pipelines one per transaction wrote 4 GB to the WAL for a 200 MB
/// database, and a sixth of the scan's time went to the disk. A batch is recorded once it holds
/// `pipelines` pipelines, or when a pipeline finishes after its first has waited `delay`, or at
/// the end; a scan killed before then diagnoses the batch's pipelines again on its next run, and
/// each pipeline is still recorded whole or not at all. Pipelines too large to wait are recorded
/// at once (`PipelineScanner.batchedBytes`).
struct RecordBatch {
    /// A pipeline diagnosed and encoded, with what the scan reports once it is recorded.
    struct Entry: Sendable {
        var pipeline: ScanPipeline
        var result: PipelineResult
        var documents: [String]
        var outcome: PipelineScanner.Outcome
    }

    static let pipelines = 64
    static let delay: Duration = .milliseconds(250)

    private(set) var entries: [Entry] = []
    private var firstAdded: ContinuousClock.Instant?

    var isEmpty: Bool { entries.isEmpty }

    mutating func add(_ entry: Entry) {
        if entries.isEmpty { firstAdded = .now }
        entries.append(entry)
    }

    var isDue: Bool {
        guard let firstAdded else { return false }
        return entries.count >= Self.pipelines || ContinuousClock.now - firstAdded >= Self.delay
    }

    /// The entries, leaving the batch empty.
    mutating func take() -> [Entry] {
        defer {
            entries = []
            firstAdded = nil
        }
        return entries
    }
}
