#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LogDxModel

/// Reads the inputs of one pipeline (files, folders, standard input) and streams their lines, split
/// into jobs, to a sink. Holds no more than a chunk and a line of any input at a time.
public struct PipelineReader: Sendable {
    public var forcedFormat: InputFormat?
    public var maxLineBytes: Int
    /// Hash each file as it is read (`Pipeline.contentHashes`): a scan records the hashes to
    /// skip unchanged logs next time; nobody else needs them.
    public var hashesFiles = false

    static let maxLongLineNotices = 3

    public init(forcedFormat: InputFormat? = nil, maxLineBytes: Int = LineReader.defaultMaxLineBytes) {
        self.forcedFormat = forcedFormat
        self.maxLineBytes = maxLineBytes
    }

    /// Reads every input into `sink` and returns the pipeline's jobs in order.
    public func read<Sink: IngestSink>(_ paths: [String], into sink: inout Sink) throws -> Pipeline {
        try read(InputPlan.make(paths: paths), into: &sink)
    }

    /// Below this many bytes in all, `readEach` reads the inputs one after the other into one sink:
    /// waking other threads for a few kilobytes each costs more than reading them, and a scan
    /// already keeps every core on its own pipeline.
    package static let parallelReadingBytes = 1024 * 1024

    /// Reads each input into a sink of its own, the inputs on all cores, and merges their jobs in
    /// input order: what `read` gives for the same plan, with the sinks apart (a pipeline's jobs
    /// are independent until the rules correlate them). `finish` runs on each sink once its input
    /// is read, while the others still are. Standard input, a single input, or inputs of less than
    /// `parallelReadingBytes` in all are read into one sink as `read` does: a sink per small file
    /// (a tokenizer with its scan scratch, a collector, their redactors) was set up and merged
    /// again for every few kilobytes of log.
    public func readEach<Sink: IngestSink>(
        _ plan: InputPlan, makeSink: @Sendable () -> Sink, finish: @Sendable (inout Sink) -> Void = { _ in }
    ) throws -> (pipeline: Pipeline, parts: [(sink: Sink, jobOffset: Int)]) {
        let inputs = plan.inputs
        // A size is a stat call: asked once per input, not in each comparison of the sort below
        // (20,000 calls, 30 ms on one core before reading 1,000 files).
        let sizes = inputs.map(\.storedSize)
        let total = sizes.reduce(0) { sum, size in sum + (size ?? Self.parallelReadingBytes) }
        guard inputs.count > 1, !inputs.contains(where: \.isStandardInput), total >= Self.parallelReadingBytes else {
            var sink = makeSink()
            let pipeline = try read(plan, into: &sink)
            return (pipeline, [(sink, 0)])
        }
        let readOne = { @Sendable (input: LogInput) -> Result<(Pipeline, Sink), any Error> in
            var sink = makeSink()
            do {
                let pipeline = try read(InputPlan(inputs: [input]), into: &sink)
                finish(&sink)
                return .success((pipeline, sink))
            } catch {
                return .failure(error)
            }
        }
        // Largest first: the cores take the next file as they free up, so the last files read
        // are the smallest and both cores finish together (in the given order, a big file read
        // last kept one core working alone for a few milliseconds of a 10 MB pipeline).
        let bySize = inputs.indices.sorted { (sizes[$0] ?? 0, $1) > (sizes[$1] ?? 0, $0) }
        let readBySize = bySize.map { inputs[$0] }.concurrentMap(readOne)
        var results = readBySize
        for (position, index) in bySize.enumerated() { results[index] = readBySize[position] }
        var jobs: [[Job]] = []
        var parts: [(sink: Sink, jobOffset: Int)] = []
        var outcomes = InputOutcomes(plan)
        var offset = 0
        for (input, result) in zip(inputs, results) {
            switch result {
            case .success((let pipeline, let sink)):
                jobs.append(pipeline.jobs)
                parts.append((sink, offset))
                // Each part already said what it skipped; here it counts as read.
                outcomes.read(lines: pipeline.jobs.isEmpty ? 0 : 1, format: pipeline.format, notices: pipeline.notices,
                              damaged: pipeline.damagedInputs, hashes: pipeline.contentHashes, name: input.name)
                offset += pipeline.jobs.count
            case .failure(let error):
                outcomes.failed(input.name, error)
            }
        }
        var table = JobTable(merging: jobs)
        table.assignOrder()
        let pipeline = try outcomes.pipeline(table.jobs)
        return (pipeline, parts)
    }

    /// Reads every input of the plan into `sink` and returns the pipeline's jobs in order.
    public func read<Sink: IngestSink>(_ plan: InputPlan, into sink: inout Sink) throws -> Pipeline {
        var jobs = JobTable()
        var outcomes = InputOutcomes(plan)
        for input in plan.inputs {
            let source: InputSource
            do {
                source = try InputSource(input, hashing: hashesFiles)
                try source.checkIsText()
            } catch {
                // One bad file in a folder should not hide the rest; alone, it is the answer.
                if plan.inputs.count == 1 { throw error }
                outcomes.failed(input.name, error)
                continue
            }
            let profile = FormatDetector.profile(prefix: source.prefix, forcedFormat: forcedFormat, complete: source.reachedEnd)
            var notices: [Notice] = []
            let lines = try stream(source, profile: profile, jobs: &jobs, notices: &notices, sink: &sink)
            if let damage = source.damage {
                guard lines > 0 else {
                    let error = InputError.damaged(path: input.name, detail: damage)
                    if plan.inputs.count == 1 { throw error }
                    outcomes.failed(input.name, error)
                    continue
                }
                notices.append(Notice(source: input.name, line: lines, message: damage))
            }
            outcomes.read(lines: lines, format: profile.format, notices: notices,
                          damaged: source.damage.map { [input.name: $0] } ?? [:],
                          hashes: source.contentHash.map { [input.name: $0] } ?? [:], name: input.name)
        }
        jobs.assignOrder()
        return try outcomes.pipeline(jobs.jobs)
    }

    private func stream<Sink: IngestSink>(
        _ source: InputSource, profile: PasteProfile, jobs: inout JobTable, notices: inout [Notice], sink: inout Sink
    ) throws -> Int {
        var framer = makeFramer(profile, source: source, jobs: &jobs)
        var decoration = profile.decoration
        var normalizer = MessageNormalizer(buildKit: profile.buildKit)
        var outcomes = JobOutcomeReader()
        // Pasted fragments are what terminals and web pages wrap; raw CI logs keep one message per line.
        var joiner = profile.format == .plain && profile.fragment ? WrappedLineJoiner(maxBytes: maxLineBytes) : nil
        var output = FrameOutput()
        var reader = LineReader(source: source, maxLineBytes: maxLineBytes)
        var longLines = 0
        var lineCount = 0
        try reader.forEachLine { number, raw, dropped in
            lineCount = number
            if dropped > 0 {
                longLines += 1
                if longLines <= Self.maxLongLineNotices {
                    notices.append(Notice(
                        source: source.name, line: number,
                        message: "line is \(ByteCount.text(raw.count + dropped)) long; only \(ByteCount.text(raw.count)) of it was analysed"))
                }
            }
            output.reset()
            // A markdown fence holds no text of the log: it is framed as an empty line.
            let content = decoration.content(of: raw) ?? 0..<0
            framer.frame(UnsafeBufferPointer(rebasing: raw[content]), into: &output, jobs: &jobs)
            guard let job = output.job else { return }
            jobs.countLine(of: job)
            if joiner != nil {
                let text = output.text.map { normalizer.normalize($0) }
                if let text { outcomes.observe(text, job: job) }
                joiner?.take(job: job, number: number, output: output, text: text, into: &sink)
                return
            }
            guard let framed = output.text else {
                for event in output.structural {
                    sink.structural(kind: event.kind, job: job, line: number, text: UnsafeBufferPointer(start: nil, count: 0), fields: event.fields)
                }
                return
            }
            // Through pointers from here: the slices this passed along retained and released the
            // framer's buffer at each step, a tenth of a line's cost.
            framed.withUnsafeBufferPointer { framedBytes in
                if normalizer.leavesAsIs(framedBytes) {
                    outcomes.observe(framed, job: job)
                    Self.deliver(framedBytes, job: job, number: number, structural: output.structural, sink: &sink)
                } else {
                    let text = normalizer.normalize(framed)
                    outcomes.observe(text, job: job)
                    text.withUnsafeBufferPointer { bytes in
                        Self.deliver(bytes, job: job, number: number, structural: output.structural, sink: &sink)
                    }
                }
            }
        }
        joiner?.flush(into: &sink)
        // An exit line is more precise than what a framer infers at the end (a `##[error]` seen,
        // the runner's clean-up reached), so it goes first; neither overrides what framing read.
        outcomes.finish(jobs: &jobs)
        framer.finish(jobs: &jobs)
        if longLines > Self.maxLongLineNotices {
            notices.append(Notice(source: source.name, message: "\(longLines - Self.maxLongLineNotices) more lines were longer than \(ByteCount.text(maxLineBytes)) and were shortened"))
        }
        return lineCount
    }

    /// Hands one framed, normalized line to the sink: its structural events first, then the line.
    @inline(__always)
    private static func deliver<Sink: IngestSink>(
        _ text: UnsafeBufferPointer<UInt8>, job: Int, number: Int, structural: [FrameOutput.Structural], sink: inout Sink
    ) {
        for event in structural {
            sink.structural(kind: event.kind, job: job, line: number, text: text, fields: event.fields)
        }
        sink.line(job: job, number: number, text: text)
    }

    private func makeFramer(_ profile: PasteProfile, source: InputSource, jobs: inout JobTable) -> any Framer {
        let name = Self.jobName(for: source.name)
        let format = profile.format
        switch format {
        case .gitlabCILocal: return GitLabCILocalFramer(source: source.name)
        case .ghRunView: return GHRunViewFramer(source: source.name)
        case .gitlabRunner: return GitLabRunnerFramer(job: jobs.add(name: name, source: source.name, format: format))
        case .githubActions: return GitHubActionsFramer(job: jobs.add(name: name, source: source.name, format: format))
        case .jenkins: return JenkinsFramer(job: jobs.add(name: name, source: source.name, format: format))
        case .plain:
            return PlainFramer(
                job: jobs.add(name: name, source: source.name, format: format),
                githubWebCopy: profile.githubWebCopy, fragment: profile.fragment)
        }
    }

    /// The job name a file gives when its log does not name the job: the file name without its
    /// extension (`test.log` and `test.log.gz` → `test`); what comes on standard input is mostly pasted.
    package static let pastedJobName = "the pasted log"

    package static func jobName(for path: String) -> String {
        if path == "-" { return pastedJobName }
        let file = LogFileNames.withoutCompression(path.split(separator: "/").last.map(String.init) ?? path)
        guard let dot = file.lastIndex(of: "."), dot != file.startIndex else { return file }
        return String(file[..<dot])
    }
}
