import Foundation
import LogDxConfig
import LogDxCorrelate
import LogDxExcerpt
import LogDxExplain
import LogDxIngest
import LogDxModel
import LogDxRedaction
import LogDxRules
import LogDxTokenize

/// The whole flow for one pipeline: ingest → tokenize → correlate. Report is the caller's choice.
public struct Diagnoser: Sendable {
    public let rules: RuleSet
    private let engine: RuleEngine
    /// Compiled once: a batch scan diagnoses thousands of pipelines with one Diagnoser.
    private let events: CompiledEvents
    /// Built once too: each rule's superseded rules as a set, for every pipeline.
    private let ranker: DiagnosisRanker

    public init(rules: RuleSet) {
        self.rules = rules
        // Independent halves of start-up, on two cores: the events' definitions and prefilter
        // (its database read back from the cache) and the rules' engine and ranking.
        let kinds = RuleEngine.referencedKinds(of: rules)
        let compiling = SideThread {
            CompiledEvents(rules: rules, kinds: kinds, engine: .vectorscan, companions: LineScorer.literals)
        }
        engine = RuleEngine(rules: rules)
        ranker = DiagnosisRanker(rules: rules.rules)
        events = compiling.join()
    }

    /// How many lines a job's excerpt may show.
    public var excerptLines = 20

    /// For a process that diagnoses once and exits (`logdx diagnose`): the events and excerpt
    /// tails reading left are never freed. Freeing a 10 MB pipeline's took 8 ms of the caller's
    /// time, and on another thread it fought the caller for malloc's lock while the report was
    /// written; the process's exit returns the memory at once. Never for a scan, which
    /// diagnoses thousands of pipelines in one process.
    public var keepsReadingStateUntilExit = false

    /// Hash each file as it is read (`Pipeline.contentHashes`), for a scan's database.
    public var hashesFiles = false

    /// Reads the inputs (files, folders, `-`) as one pipeline and diagnoses it; with a baseline (the
    /// logs of a passing run of the same pipeline), lines new in the failing run weigh more in the
    /// excerpts. With `config`, its facts join the events and fixes come with patches to it.
    public func diagnose(
        _ paths: [String], format: InputFormat? = nil, baseline: [String] = [], config: CIConfig? = nil
    ) throws -> Analysis {
        try diagnose(paths.map(LogInput.path), format: format, baseline: baseline.map(LogInput.path), config: config)
    }

    /// Reads the inputs (files, folders, standard input, logs in memory) as one pipeline and
    /// diagnoses it. An input's `hint` (what a CI's API knows about its job) names, places and
    /// dates the job read from it.
    public func diagnose(
        _ inputs: [LogInput], format: InputFormat? = nil, baseline: [LogInput] = [], config: CIConfig? = nil
    ) throws -> Analysis {
        var reader = PipelineReader(forcedFormat: format)
        reader.hashesFiles = hashesFiles
        var passing: BaselineIndex?
        if !baseline.isEmpty {
            var index = BaselineIndex()
            let passingPipeline = try reader.read(InputPlan.make(baseline), into: &index)
            index.finish(passingPipeline)
            passing = index
        }
        let plan = try InputPlan.make(inputs)
        var hints: [String: JobHint] = [:]
        for input in plan.inputs { if let hint = input.hint { hints[input.name] = hint } }
        var (pipeline, store, limitHits, collectors) = try read(plan, reader)
        if !hints.isEmpty { Self.apply(hints, to: &pipeline) }
        for hit in limitHits {
            let job = pipeline.jobs[hit.job]
            let message = hit.switchedOff
                ? "event pattern '\(hit.definition)' stopped at a PCRE2 limit (\(hit.reason)) on \(Tokenizer.limitHitsBeforeSwitchOff) lines of job \(job.name); it was switched off for the rest of that job"
                : "event pattern '\(hit.definition)' stopped at a PCRE2 limit (\(hit.reason)); the line was skipped for it"
            pipeline.notices.append(Notice(source: job.source, line: hit.line, message: message))
        }
        for (key, count) in store.dropped.sorted(by: { ($0.key.job, $0.key.kind) < ($1.key.job, $1.key.kind) }) {
            pipeline.notices.append(Notice(
                source: pipeline.jobs[key.job].source,
                message: "job \(pipeline.jobs[key.job].name): \(count) '\(key.kind)' events between the first \(store.headCap) and the last \(store.tailCap) were not analysed"))
        }
        if let config {
            pipeline.notices += config.notices.map { Notice(source: config.files.first ?? config.root, message: $0) }
        }
        // Correlate finds, Explain writes up, then the root cause goes first.
        let explainer = FindingExplainer(config: config)
        let written = Self.explain(engine.findings(pipeline, events: store, config: config), with: explainer)
        // The excerpts' lines do not depend on the ranking, only whether each job is explained
        // does: with many diagnoses, ranking (on one core) and choosing the lines (on all) overlap.
        let hasDiagnoses = !written.isEmpty, shown = FinishedCollectors(collectors: collectors), limit = excerptLines
        let choose = { @Sendable [pipeline, passing] in Self.excerpts(pipeline, hasDiagnoses: hasDiagnoses, shown, passing, limit: limit) }
        let chosen = written.count >= Self.concurrentRankingFindings ? SideThread(choose) : nil
        let diagnoses = ranker.rank(written, pipeline: pipeline)
        var excerpts = chosen?.join() ?? choose()
        Self.markExplained(&excerpts, by: diagnoses)
        if keepsReadingStateUntilExit {
            KeptUntilExit.keep(LeftOver(store: consume store, collectors: consume collectors))
        } else if store.appendedCount >= Self.backgroundReleaseEvents {
            Self.releaseInBackground(LeftOver(store: consume store, collectors: consume collectors))
        }
        return Analysis(pipeline: pipeline, diagnoses: diagnoses, excerpts: excerpts, hasBaseline: passing != nil, config: config)
    }

    /// Findings past which they are written up on all cores: each renders a title, an
    /// explanation and fixes (about 35 µs; a pipeline of 1,000 jobs has thousands, a quarter of a
    /// second on one core). Waking the other core costs about what one finding does, so a few
    /// dozen already pay: the 10 MB pipeline's 152 findings took 5 ms on one core.
    static let concurrentExplainFindings = 32

    /// Findings past which they are ranked on a thread of their own while the excerpts are
    /// chosen (on all cores): below it, the extra thread fought the excerpts' two for the cores
    /// and made the 10 MB pipeline's 152 findings 4 ms slower, not faster.
    static let concurrentRankingFindings = 256

    /// The findings' diagnoses, in the findings' order.
    private static func explain(_ findings: [Finding], with explainer: FindingExplainer) -> [Diagnosis] {
        guard findings.count >= concurrentExplainFindings else { return findings.map(explainer.diagnosis) }
        return findings.concurrentMapInPieces { $0.map(explainer.diagnosis) }
    }

    /// Events past which the store and the collectors are freed on another thread.
    static let backgroundReleaseEvents = 10_000

    /// What reading left that the analysis does not hold.
    private struct LeftOver: @unchecked Sendable {
        // SAFETY (for @unchecked Sendable): handed over whole by `diagnose`, which keeps no
        // reference; the receiving thread never reads it, it only lets it go.
        let store: EventStore
        let collectors: Collectors
    }

    /// Frees the events and the collectors' tails on a background thread: freeing a million
    /// events took a tenth of a second of the caller's time after a 1,000-job pipeline, before
    /// it could print anything.
    private static func releaseInBackground(_ leftOver: consuming LeftOver) {
        let moved = leftOver
        DispatchQueue.global(qos: .utility).async { withExtendedLifetime(moved) {} }
    }

    /// Puts the API's names, stages and outcomes on the jobs read from hinted files and orders
    /// the pipeline again with them.
    package static func apply(_ hints: [String: JobHint], to pipeline: inout Pipeline) {
        var jobs = pipeline.jobs
        for index in jobs.indices {
            guard let hint = hints[jobs[index].source] else { continue }
            jobs[index].name = hint.name
            if let stage = hint.stage { jobs[index].stage = stage }
            if let order = hint.stageOrder { jobs[index].stageOrder = order }
            if let status = hint.status { jobs[index].status = status }
            if let started = hint.startedAt { jobs[index].startedAt = started }
        }
        var table = JobTable(jobs: jobs)
        table.assignOrder()
        pipeline.jobs = table.jobs
    }

    /// The excerpt collectors of the inputs, each with the index of its first job.
    typealias Collectors = [(collector: ExcerptCollector, jobOffset: Int)]

    /// Reads the inputs as one pipeline, each file into its own tokenizer and collector (on all
    /// cores), and joins their events and excerpts at the jobs' places in the pipeline.
    private func read(_ plan: InputPlan, _ reader: PipelineReader) throws -> (Pipeline, EventStore, [Tokenizer.LimitHit], Collectors) {
        let events = self.events
        // Many inputs keep the cores busy with one each; one big input gets its tokenizer a core
        // of its own.
        let concurrent = Self.isOneLargeInput(plan)
        let (pipeline, readParts) = try reader.readEach(
            plan, makeSink: { PipelineSink(tokenizer: Tokenizer(compiled: events), excerpts: ExcerptCollector(), concurrent: concurrent) },
            // Many files wait for the merge at once: each keeps only what it needs.
            finish: { $0.excerpts.compact() })
        // Moved, not copied: the events are taken out of the parts below, which must not share them.
        var parts = consume readParts
        guard parts.count > 1 else {
            var sink = parts[0].sink
            sink.finishTokenizing()
            return (pipeline, sink.tokenizer.store, sink.tokenizer.limitHits, [(sink.excerpts, 0)])
        }
        var store = EventStore()
        var hits: [Tokenizer.LimitHit] = []
        var collectors: Collectors = []
        for index in parts.indices {
            let offset = parts[index].jobOffset
            var events = parts[index].sink.takeEvents()
            store.absorb(&events, jobOffset: offset)
            hits.append(contentsOf: parts[index].sink.tokenizer.limitHits.map { var hit = $0; hit.job += offset; return hit })
            collectors.append((parts[index].sink.excerpts, offset))
        }
        return (pipeline, store, hits, collectors)
    }

    /// Inputs smaller than this are read inline: handing lines to another core costs more than
    /// it saves on a paste or a short job.
    package static let concurrentTokenizingBytes = 2 * 1024 * 1024

    /// One input (standard input counts: its size is unknown) of at least `concurrentTokenizingBytes`.
    package static func isOneLargeInput(_ plan: InputPlan) -> Bool {
        guard plan.inputs.count == 1, let input = plan.inputs.first else { return false }
        return input.isStandardInput || (input.storedSize ?? 0) >= concurrentTokenizingBytes
    }

    /// The excerpts, none yet marked explained (`markExplained`).
    static func excerpts(
        _ pipeline: Pipeline, hasDiagnoses: Bool, _ collectors: FinishedCollectors, _ baseline: BaselineIndex?, limit: Int
    ) -> [Excerpt] {
        let unsettled = excerpts(of: pipeline.jobsInOrder.filter { $0.status == .failed || $0.status == .unknown },
                                 collectors, baseline, limit: limit)
        // A pipeline where no rule fired and no job admits failing would otherwise end with nothing
        // to read, though a job that "succeeded" may still have printed why the run was red (a
        // step whose failure the log does not frame, a copy missing its footer): its blocks with
        // strong error lines are shown, and nothing when it has none.
        guard unsettled.isEmpty, !hasDiagnoses else { return unsettled }
        return excerpts(of: pipeline.jobsInOrder.filter { $0.status != .failed && $0.status != .unknown },
                        collectors, baseline, limit: limit, strongOnly: true)
    }

    /// An excerpt is explained when a ranked diagnosis that is not mere information names its job.
    static func markExplained(_ excerpts: inout [Excerpt], by diagnoses: [Diagnosis]) {
        let explained = Set(diagnoses.filter { $0.severity != .info }.flatMap(\.jobs))
        for index in excerpts.indices { excerpts[index].explained = explained.contains(excerpts[index].job) }
    }

    /// Jobs from which excerpts are chosen on all cores: each job's tail is scored again (300
    /// lines) and hashed, a quarter of a millisecond a job; the 40 jobs of a 10 MB pipeline took
    /// 10 ms on one core while the other waited.
    package static let concurrentExcerptJobs = 16

    private static func excerpts(
        of jobs: [Job], _ shared: FinishedCollectors, _ baseline: BaselineIndex?, limit: Int, strongOnly: Bool = false
    ) -> [Excerpt] {
        guard jobs.count >= concurrentExcerptJobs else {
            return excerpts(of: jobs[...], shared, baseline, limit: limit, strongOnly: strongOnly)
        }
        // A piece per eight jobs at most: each piece builds its own scorer and redactor.
        return jobs.concurrentMapInPieces(min(8, jobs.count / 8)) { part in
            excerpts(of: part, shared, baseline, limit: limit, strongOnly: strongOnly)
        }
    }

    private static func excerpts(
        of jobs: ArraySlice<Job>, _ shared: FinishedCollectors, _ baseline: BaselineIndex?, limit: Int, strongOnly: Bool
    ) -> [Excerpt] {
        let scorer = LineScorer()
        let redactor = SecretRedactor()
        return jobs.compactMap { job in
            var selector = ExcerptSelector(limit: limit, baseline: baseline?.lines(forJob: job.name))
            selector.strongOnly = strongOnly
            guard let source = collector(of: job.index, in: shared.collectors) else { return nil }
            let local = job.index - source.jobOffset
            let collected = source.collector.lines(ofJob: local, scorer: scorer)
            let lines = selector.select(collected, lastLine: source.collector.lastLine(ofJob: local), redactor: redactor)
            guard !lines.isEmpty else { return nil }
            return Excerpt(job: job.displayName, jobIndex: job.index, source: job.source, lines: lines, explained: false)
        }
    }
}

/// Collectors whose input is read, handed to the threads that choose excerpts.
struct FinishedCollectors: @unchecked Sendable {
    // SAFETY (for @unchecked Sendable): once reading is done nothing writes to the collectors;
    // the threads only call `lines(ofJob:scorer:)` and `lastLine(ofJob:)`, which read
    // value-typed state and use the scorer and redactor each thread brings.
    let collectors: Diagnoser.Collectors
}

/// The collector that read a job: the last one starting at or before it (collectors are in input
/// order, so by increasing first job), found by bisection since a pipeline can have thousands.
private func collector(of job: Int, in collectors: Diagnoser.Collectors) -> Diagnoser.Collectors.Element? {
    var low = 0, high = collectors.count
    while low < high {
        let middle = (low + high) / 2
        if collectors[middle].jobOffset <= job { low = middle + 1 } else { high = middle }
    }
    return low > 0 ? collectors[low - 1] : nil
}

/// Hands every line to the tokenizer and the excerpt collector in one pass over the input; with
/// `concurrent`, the tokenizer runs on a second core (`TokenizerWorker`), and `finishTokenizing`
/// must run before `tokenizer` is read.
package struct PipelineSink: IngestSink {
    package private(set) var tokenizer: Tokenizer
    package var excerpts: ExcerptCollector
    private var worker: TokenizerWorker?

    package init(tokenizer: Tokenizer, excerpts: ExcerptCollector, concurrent: Bool = false) {
        self.tokenizer = tokenizer
        self.excerpts = excerpts
        worker = concurrent ? TokenizerWorker(tokenizer) : nil
    }

    package mutating func structural(kind: String, job: Int, line: Int, text: UnsafeBufferPointer<UInt8>, fields: [String: String]) {
        if let worker {
            worker.structural(kind: kind, job: job, line: line, text: text, fields: fields)
        } else {
            tokenizer.structural(kind: kind, job: job, line: line, text: text, fields: fields)
        }
    }

    package mutating func line(job: Int, number: Int, text: UnsafeBufferPointer<UInt8>) {
        if let worker {
            worker.line(job: job, number: number, text: text)
            excerpts.line(job: job, number: number, text: text)
        } else {
            tokenizer.line(job: job, number: number, text: text)
            // The tokenizer's scan found the scorer's words too: the collector need not scan again.
            excerpts.line(job: job, number: number, text: text, words: tokenizer.lastLineCompanions)
        }
    }

    /// Moves the tokenizer's events out (see `Tokenizer.takeStore`).
    package mutating func takeEvents() -> EventStore {
        tokenizer.takeStore()
    }

    /// Waits for the tokenizer's core to finish the input, and takes the tokenizer back.
    package mutating func finishTokenizing() {
        guard let worker else { return }
        tokenizer = worker.finish()
        self.worker = nil
    }
}
