import Foundation
import LogDx

/// Diagnoses every pipeline of a scan plan on a bounded pool of worker threads, skipping what
/// the database already holds for the same files and rules, and records the pipelines as they
/// are done (small ones a few at a time, `RecordBatch`; each whole or not at all), so an
/// interrupted scan resumes where it stopped.
/// Without a database (`runStream`, for a caller that keeps the JSON lines, such as the Spark
/// job) nothing is skipped and nothing recorded.
public final class PipelineScanner: Sendable {
    public struct Options: Sendable {
        /// Worker threads; each diagnoses one pipeline at a time.
        public var workers: Int = ProcessInfo.processInfo.activeProcessorCount
        public var inputFormat: InputFormat?
        public var excerptLines = 20
        /// Diagnose again even when the files and rules are unchanged.
        public var force = false
        /// The process exits once `run` returns (the command line): the last pipeline's events,
        /// excerpt tails and results are never freed (`KeptUntilExit`). Freeing a 1,000-job
        /// pipeline's took a core a third of a second, half of it while its rows were written.
        public var exitsAfterRun = false

        public init() {}
    }

    public struct Summary: Sendable, Equatable {
        public var pipelines = 0
        public var scanned = 0
        public var skipped = 0
        /// Pipelines with no analysable input at all.
        public var failed = 0
        /// Files with a problem (a damaged `.gz`), with what went wrong; the rest of their pipeline was analysed.
        public var fileErrors: [String] = []
        public var pipelineErrors: [String] = []
        public var bytesRead: Int64 = 0
        public var seconds: Double = 0
    }

    /// What happened to one pipeline, as the workers report it.
    public enum Outcome: Sendable {
        /// Recorded; `error` when nothing of it could be analysed, `fileErrors` for damaged files.
        case scanned(jsonLine: String?, fileErrors: [String], error: String?)
        case skipped
    }

    public let rules: RuleSet
    public let rulesVersion: String
    public let database: ScanDatabase?
    public let options: Options
    private let diagnoser: Diagnoser

    public init(rules: RuleSet, database: ScanDatabase?, options: Options = Options()) {
        self.rules = rules
        self.database = database
        self.options = options
        rulesVersion = RulesVersion.of(rules)
        var diagnoser = Diagnoser(rules: rules)
        diagnoser.excerptLines = options.excerptLines
        // The hashes serve the next scan's skipping, which needs a database.
        diagnoser.hashesFiles = database != nil
        self.diagnoser = diagnoser
    }

    /// Scans the plan. `emit` receives a JSON line per pipeline diagnosed (when `wantJSON`), from
    /// any worker thread, one call at a time, and answers false when the line could not be
    /// written: no further pipeline is then started (what is done is still recorded);
    /// `progress` sees every finished pipeline.
    public func run(
        _ plan: ScanPlan, paths: [String], wantJSON: Bool = false,
        emit: @escaping @Sendable (String) -> Bool = { _ in true }, progress: ScanProgress? = nil
    ) throws(ScanError) -> Summary {
        let start = Date()
        let scanID = try database?.beginScan(rulesVersion: rulesVersion, paths: paths)
        var cursor = 0
        let workers = min(options.workers, plan.pipelines.count)
        // The files of the next few pipelines per worker are asked of the disk ahead of time.
        let readAhead = ReadAhead(), lookahead = 4 * max(1, workers)
        for pipeline in plan.pipelines.prefix(lookahead) { readAhead.request(pipeline.files) }
        let state = SharedState {
            guard cursor < plan.pipelines.count else { return nil }
            defer { cursor += 1 }
            if cursor + lookahead < plan.pipelines.count { readAhead.request(plan.pipelines[cursor + lookahead].files) }
            return .pipeline(plan.pipelines[cursor])
        }
        work(state, workers: workers, scanID: scanID, wantJSON: wantJSON, batched: true,
             emit: emit, progress: progress, lastKey: options.exitsAfterRun ? plan.pipelines.last?.key : nil)
        progress?.end()
        var summary = state.summary
        summary.pipelines = plan.pipelines.count
        // A database error stops nothing else, but it must not pass silently.
        if let error = state.databaseError { throw error }
        try database?.rebuildClusters()
        summary.seconds = Date().timeIntervalSince(start)
        if let database, let scanID {
            try database.finishScan(scanID, scanned: summary.scanned, skipped: summary.skipped, failed: summary.failed)
        }
        return summary
    }

    /// Scans each path `nextPath` gives (a folder of pipelines or a log file) as soon as a worker
    /// is free, so a caller can feed paths through a pipe to one long-lived process instead of
    /// starting one per pipeline. `nextPath` is called one call at a time and answers nil at the
    /// end. A path that cannot be planned (missing, unreadable) is counted as failed, and the
    /// next is read. `source` names where the paths come from in the database's scan record.
    public func runStream(
        nextPath: @escaping () -> String?, source: String, groupBy: String? = nil, wantJSON: Bool = true,
        emit: @escaping @Sendable (String) -> Bool = { _ in true }
    ) throws(ScanError) -> Summary {
        let start = Date()
        // A bad --group-by is the caller's mistake, not one path's: fail before reading any.
        _ = try ScanPlan.make(paths: [], groupBy: groupBy)
        let scanID = try database?.beginScan(rulesVersion: rulesVersion, paths: [source])
        var pending: [ScanPipeline] = []
        let state = SharedState {
            while pending.isEmpty {
                guard let path = nextPath() else { return nil }
                guard !path.isEmpty else { continue }
                do throws(ScanError) {
                    pending = try ScanPlan.make(paths: [path], groupBy: groupBy).pipelines.reversed()
                } catch {
                    return .unplanned(path: path, error: error)
                }
            }
            return pending.popLast().map { .pipeline($0) }
        }
        // Unbatched: the paths may come slowly (a producer writing one as each run ends), and a
        // pipeline must not wait in a batch, unrecorded and unreported, for the next.
        work(state, workers: options.workers, scanID: scanID, wantJSON: wantJSON, batched: false, emit: emit, progress: nil)
        var summary = state.summary
        if let error = state.databaseError { throw error }
        // Recorded pipelines change the clusters, as after any scan.
        try database?.rebuildClusters()
        summary.seconds = Date().timeIntervalSince(start)
        if let database, let scanID {
            try database.finishScan(scanID, scanned: summary.scanned, skipped: summary.skipped, failed: summary.failed)
        }
        return summary
    }

    /// - Parameter lastKey: the key of the pipeline whose state is kept until the process exits.
    private func work(
        _ state: SharedState, workers: Int, scanID: Int64?, wantJSON: Bool, batched: Bool,
        emit: @escaping @Sendable (String) -> Bool, progress: ScanProgress?, lastKey: String? = nil
    ) {
        DispatchQueue.concurrentPerform(iterations: max(1, workers)) { _ in
            while let pipeline = state.next() {
                let step = process(pipeline, scanID: scanID, wantJSON: wantJSON, batched: batched, keepsState: pipeline.key == lastKey)
                var skipped = false
                switch step {
                case .success(.batch(let entry)):
                    state.hold(entry)
                    recordDue(state, scanID: scanID, emit: emit)
                case .success(.done(let outcome)):
                    if case .skipped = outcome { skipped = true }
                    state.finish(pipeline, .success(outcome), emit: emit)
                case .failure(let error):
                    state.finish(pipeline, .failure(error), emit: emit)
                }
                progress?.advance(bytes: pipeline.bytes, skipped: skipped)
            }
        }
        recordDue(state, scanID: scanID, emit: emit, all: true)
    }

    /// Records the waiting pipelines once their batch is due (all of them with `all`), unless
    /// another worker is recording: this one then goes back to diagnosing instead of waiting
    /// for SQLite's single writer, and that worker takes what is due after its own batch.
    private func recordDue(_ state: SharedState, scanID: Int64?, emit: (String) -> Bool, all: Bool = false) {
        guard let database else { return }
        while let batch = state.takeBatch(all: all) {
            var failure: ScanError?
            do throws(ScanError) {
                try database.record(batch.map { ($0.result, $0.documents) }, scanID: scanID)
            } catch {
                failure = error
            }
            state.recorded(batch, failure: failure, emit: emit)
        }
    }

    /// What `process` leaves to do with a pipeline.
    enum Step: Sendable {
        /// Skipped, or recorded (or nothing to record it in).
        case done(Outcome)
        /// Diagnosed, to be recorded with others.
        case batch(RecordBatch.Entry)
    }

    /// Pipelines past this size, or with `concurrentOutputDiagnoses`, are recorded at once: they
    /// take long enough to diagnose that a batch waiting for them would hold its pipelines for
    /// seconds, and their rows outweigh the commit's pages anyway.
    static let batchedBytes: Int64 = 4 << 20

    /// Scans one pipeline; a database failure is returned, not thrown, so the other workers go on.
    /// - Parameter keepsState: what reading left and the result are kept until the process exits.
    func process(
        _ pipeline: ScanPipeline, scanID: Int64?, wantJSON: Bool, batched: Bool = false, keepsState: Bool = false
    ) -> Result<Step, ScanError> {
        do throws(ScanError) {
            var hashes: [String: String] = [:]
            if !options.force, let database, let stored = try database.stored(key: pipeline.key), stored.rulesVersion == rulesVersion,
               Set(stored.files.keys) == Set(pipeline.files.map(\.path)) {
                var touched: [ScanFile] = []
                var same = true
                for file in pipeline.files {
                    guard let old = stored.files[file.path] else { same = false; break }
                    if old.size == file.size && old.mtime == file.mtime { hashes[file.path] = old.hash; continue }
                    let hash = try ContentHash.ofFile(file.path)
                    hashes[file.path] = hash
                    if hash != old.hash || old.size != file.size { same = false; break }
                    touched.append(file)
                }
                if same {
                    if !touched.isEmpty { try database.touch(touched) }
                    return .success(.done(.skipped))
                }
            }
            var result = diagnose(pipeline, hashes: hashes, keepsState: keepsState)
            // Hashes only serve the next scan's skipping, which needs a database. Reading hashed
            // each file it read to the end; a file it did not (refused, damaged) is read again.
            let read = result.analysis?.pipeline.contentHashes ?? [:]
            for file in pipeline.files where database != nil && result.hashes[file.path] == nil {
                if let hash = read[file.path] {
                    result.hashes[file.path] = ContentHash.hex(hash)
                    continue
                }
                do throws(ScanError) {
                    result.hashes[file.path] = try ContentHash.ofFile(file.path)
                } catch {
                    result.hashes[file.path] = ""
                }
            }
            let fileErrors = result.fileErrors.keys.sorted().compactMap { result.fileErrors[$0] }
            let diagnosisCount = result.analysis?.diagnoses.count ?? 0
            if batched && database != nil && pipeline.bytes < Self.batchedBytes && diagnosisCount < Self.concurrentOutputDiagnoses {
                let documents = Self.documents(of: result.analysis?.diagnoses ?? [])
                let jsonLine = wantJSON ? Self.jsonLine(result, documents: documents) : nil
                return .success(.batch(RecordBatch.Entry(
                    pipeline: pipeline, result: result, documents: documents,
                    outcome: .scanned(jsonLine: jsonLine, fileErrors: fileErrors, error: result.error))))
            }
            let jsonLine = try recordAndEncode(result, scanID: scanID, wantJSON: wantJSON)
            let error = result.error
            if keepsState { KeptUntilExit.keep(result) }
            return .success(.done(.scanned(jsonLine: jsonLine, fileErrors: fileErrors, error: error)))
        } catch {
            return .failure(error)
        }
    }

    /// Diagnoses from which a pipeline is recorded on two cores, one making the database rows
    /// (then the JSON line) while the other writes them: a pipeline of 1,000 jobs has thousands.
    /// Below it, waking a second core costs more than it saves.
    static let concurrentOutputDiagnoses = 200

    /// Records the result in the database (when there is one) and encodes its JSON line (when
    /// wanted). Both hold every diagnosis as JSON, encoded once for both: on all cores when
    /// there are many and no database, else by the thread making the rows while the other
    /// writes them (the writer is the slower: encoding them first, on both cores, only delayed it).
    private func recordAndEncode(_ result: PipelineResult, scanID: Int64?, wantJSON: Bool) throws(ScanError) -> String? {
        let diagnoses = result.analysis?.diagnoses ?? []
        guard let database, diagnoses.count >= Self.concurrentOutputDiagnoses else {
            let documents = database != nil || wantJSON ? Self.documents(of: diagnoses) : []
            try database?.record(result, scanID: scanID, documents: documents)
            return wantJSON ? Self.jsonLine(result, documents: documents) : nil
        }
        return try database.recordConcurrently(result, scanID: scanID) { documents in
            wantJSON ? Self.jsonLine(result, documents: documents) : nil
        }
    }

    func diagnose(_ pipeline: ScanPipeline, hashes: [String: String], keepsState: Bool = false) -> PipelineResult {
        var result = PipelineResult(
            pipeline: pipeline, rulesVersion: rulesVersion, hashes: hashes, fileErrors: [:], analysis: nil, error: nil,
            seenAt: pipeline.files.map(\.mtime).min() ?? 0, seenFromLog: false, failures: [])
        do {
            // `.gz` and `.zst` logs are decompressed as the engine reads them, named as on disk.
            var diagnoser = diagnoser
            diagnoser.keepsReadingStateUntilExit = keepsState
            let analysis = try diagnoser.diagnose(pipeline.files.map { LogInput.path($0.path) }, format: options.inputFormat)
            for (path, detail) in analysis.pipeline.damagedInputs {
                result.fileErrors[path] = ScanError.damaged(path: path, detail: detail).description
            }
            result.analysis = analysis
        } catch let error as InputError {
            if case .damaged(let path, let detail) = error {
                result.fileErrors[path] = ScanError.damaged(path: path, detail: detail).description
            }
            result.error = error.description
        } catch {
            result.error = "\(error)"
        }
        if let analysis = result.analysis {
            let started = analysis.pipeline.jobs.compactMap(\.startedAt)
            if let first = started.min() {
                result.seenAt = first
                result.seenFromLog = true
            }
            // A job that says it succeeded is not a failure of the history, even when its error
            // lines are shown because nothing else was to read.
            let jobs = analysis.pipeline.jobs
            for excerpt in analysis.excerpts where !excerpt.explained
                && !(jobs.indices.contains(excerpt.jobIndex) && jobs[excerpt.jobIndex].status == .success) {
                if let signature = FailureSignature.pick(excerpt) {
                    result.failures.append(.init(job: excerpt.job, source: excerpt.source, signature: signature))
                }
            }
        }
        return result
    }

    /// The top-level diagnoses as `DiagnosisRecord.compactJSON`, in order; in eight pieces on
    /// all cores past `concurrentOutputDiagnoses`.
    static func documents(of diagnoses: [Diagnosis]) -> [String] {
        guard diagnoses.count >= concurrentOutputDiagnoses else { return DiagnosisRows.documents(of: diagnoses) }
        return diagnoses.concurrentMapInPieces { DiagnosisRows.documents(of: Array($0)) }
    }

    /// The JSON renderer's document on one line, with a `scan` member saying which pipeline it
    /// is; `documents` are its diagnoses already encoded (`documents(of:)`).
    static func jsonLine(_ result: PipelineResult, documents: [String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Without an analysis there is no diagnoses list to splice into: the line is encoded whole.
        if let data = try? encoder.encode(ScanLine(result, diagnoses: false)),
           let line = JSONRenderer.splicing(diagnoses: documents, into: String(decoding: data, as: UTF8.self)) {
            return line
        }
        let data = (try? encoder.encode(ScanLine(result))) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The queue of pipelines and the tally, shared by the workers.
    private final class SharedState: @unchecked Sendable {
        /// What the source gives a worker: a pipeline to scan, or a path that could not be planned.
        enum Next {
            case pipeline(ScanPipeline)
            case unplanned(path: String, error: ScanError)
        }

        // SAFETY (for @unchecked Sendable): `source` and every var are only used under `lock`.
        private let lock = NSLock()
        private let source: () -> Next?
        private(set) var summary = Summary()
        private(set) var databaseError: ScanError?
        private var batch = RecordBatch()
        /// A worker is recording a batch; the others leave theirs waiting.
        private var recording = false
        /// The JSON lines could not be written: the scan's output is lost, so no more work is taken.
        private var outputFailed = false

        init(source: @escaping () -> Next?) { self.source = source }

        func next() -> ScanPipeline? {
            lock.withLock {
                // After a database error, stop taking work: every later write would fail the same way.
                while databaseError == nil, !outputFailed, let next = source() {
                    summary.pipelines += 1
                    switch next {
                    case .pipeline(let pipeline):
                        return pipeline
                    case .unplanned(let path, let error):
                        summary.failed += 1
                        summary.pipelineErrors.append("\(path): \(error.description)")
                    }
                }
                return nil
            }
        }

        func hold(_ entry: RecordBatch.Entry) {
            lock.withLock { batch.add(entry) }
        }

        /// The waiting pipelines when their batch is due (or any, with `all`) and no other
        /// worker is recording; the caller records them and then calls `recorded`.
        func takeBatch(all: Bool) -> [RecordBatch.Entry]? {
            lock.withLock {
                guard !recording, !batch.isEmpty, all || batch.isDue else { return nil }
                recording = true
                return batch.take()
            }
        }

        /// The batch is recorded (or `failure` said why not): its pipelines are done.
        func recorded(_ entries: [RecordBatch.Entry], failure: ScanError?, emit: (String) -> Bool) {
            lock.withLock {
                recording = false
                for entry in entries {
                    tally(entry.pipeline, failure.map { .failure($0) } ?? .success(entry.outcome), emit: emit)
                }
            }
        }

        func finish(_ pipeline: ScanPipeline, _ outcome: Result<Outcome, ScanError>, emit: (String) -> Bool) {
            lock.withLock { tally(pipeline, outcome, emit: emit) }
        }

        /// Under `lock`.
        private func tally(_ pipeline: ScanPipeline, _ outcome: Result<Outcome, ScanError>, emit: (String) -> Bool) {
            switch outcome {
            case .success(.skipped):
                summary.skipped += 1
            case .success(.scanned(let line, let fileErrors, let error)):
                summary.bytesRead += pipeline.bytes
                summary.fileErrors.append(contentsOf: fileErrors)
                if let error {
                    summary.failed += 1
                    summary.pipelineErrors.append("\(pipeline.name): \(error)")
                } else {
                    summary.scanned += 1
                }
                if let line, !outputFailed, !emit(line) { outputFailed = true }
            case .failure(let error):
                if case .database = error { databaseError = databaseError ?? error }
                summary.failed += 1
                summary.pipelineErrors.append("\(pipeline.name): \(error.description)")
            }
        }
    }
}
