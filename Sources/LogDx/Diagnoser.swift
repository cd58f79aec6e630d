/// The whole flow for one pipeline: ingest → tokenize → correlate. Report is the caller's choice.
public struct Diagnoser: Sendable {
    public let rules: RuleSet
    private let engine: RuleEngine

    public init(rules: RuleSet) {
        self.rules = rules
        engine = RuleEngine(rules: rules)
    }

    /// Reads the inputs (files, folders, `-`) as one pipeline and diagnoses it.
    public func diagnose(_ inputs: [String], format: InputFormat? = nil) throws -> Analysis {
        let reader = PipelineReader(forcedFormat: format)
        var tokenizer = Tokenizer(rules: rules, kinds: engine.referencedKinds)
        var pipeline = try reader.read(inputs, into: &tokenizer)
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
        return Analysis(pipeline: pipeline, diagnoses: engine.diagnose(pipeline, events: tokenizer.store))
    }
}
