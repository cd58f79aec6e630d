/// The whole flow for one pipeline: ingest → tokenize → correlate. Report is the caller's choice.
public struct Diagnoser: Sendable {
    public let rules: RuleSet
    private let engine: RuleEngine
    /// Compiled once: a batch scan diagnoses thousands of pipelines with one Diagnoser.
    private let events: CompiledEvents

    public init(rules: RuleSet) {
        self.rules = rules
        engine = RuleEngine(rules: rules)
        events = CompiledEvents(rules: rules, kinds: engine.referencedKinds)
    }

    /// How many lines a job's excerpt may show.
    public var excerptLines = 20

    /// Reads the inputs (files, folders, `-`) as one pipeline and diagnoses it; with a baseline (the
    /// logs of a passing run of the same pipeline), lines new in the failing run weigh more in the
    /// excerpts.
    public func diagnose(_ inputs: [String], format: InputFormat? = nil, baseline: [String] = []) throws -> Analysis {
        let reader = PipelineReader(forcedFormat: format)
        var passing: BaselineIndex?
        if !baseline.isEmpty {
            var index = BaselineIndex()
            let passingPipeline = try reader.read(baseline, into: &index)
            index.finish(passingPipeline)
            passing = index
        }
        var sink = PipelineSink(tokenizer: Tokenizer(compiled: events), excerpts: ExcerptCollector())
        var pipeline = try reader.read(inputs, into: &sink)
        let tokenizer = sink.tokenizer
        for hit in tokenizer.limitHits {
            pipeline.notices.append(Notice(
                source: pipeline.jobs[hit.job].source, line: hit.line,
                message: "event pattern '\(hit.definition)' stopped at a PCRE2 limit (\(hit.reason)); the line was skipped for it"))
        }
        for (key, count) in tokenizer.store.dropped.sorted(by: { ($0.key.job, $0.key.kind) < ($1.key.job, $1.key.kind) }) {
            pipeline.notices.append(Notice(
                source: pipeline.jobs[key.job].source,
                message: "job \(pipeline.jobs[key.job].name): \(count) more '\(key.kind)' events than the \(tokenizer.store.capPerJobAndKind) kept were not analysed"))
        }
        let diagnoses = engine.diagnose(pipeline, events: tokenizer.store)
        let excerpts = Self.excerpts(pipeline, diagnoses, sink.excerpts, passing, limit: excerptLines)
        return Analysis(pipeline: pipeline, diagnoses: diagnoses, excerpts: excerpts, hasBaseline: passing != nil)
    }

    static func excerpts(
        _ pipeline: Pipeline, _ diagnoses: [Diagnosis], _ collector: ExcerptCollector, _ baseline: BaselineIndex?, limit: Int
    ) -> [Excerpt] {
        let explained = Set(diagnoses.filter { $0.severity != .info }.flatMap(\.jobs))
        return pipeline.jobsInOrder.filter { $0.status == .failed || $0.status == .unknown }.compactMap { job in
            let selector = ExcerptSelector(limit: limit, baseline: baseline?.lines(forJob: job.name))
            let lines = selector.select(collector.lines(ofJob: job.index), lastLine: collector.lastLine(ofJob: job.index))
            guard !lines.isEmpty else { return nil }
            return Excerpt(job: job.name, jobIndex: job.index, source: job.source, lines: lines, explained: explained.contains(job.name))
        }
    }
}

/// Hands every line to the tokenizer and the excerpt collector in one pass over the input.
struct PipelineSink: IngestSink {
    var tokenizer: Tokenizer
    var excerpts: ExcerptCollector

    mutating func structural(kind: String, job: Int, line: Int, text: UnsafeBufferPointer<UInt8>, fields: [String: String]) {
        tokenizer.structural(kind: kind, job: job, line: line, text: text, fields: fields)
    }

    mutating func line(job: Int, number: Int, text: UnsafeBufferPointer<UInt8>) {
        tokenizer.line(job: job, number: number, text: text)
        excerpts.line(job: job, number: number, text: text)
    }
}
