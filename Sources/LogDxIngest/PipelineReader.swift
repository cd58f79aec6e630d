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

    /// Extensions read when a folder is given; files without an extension are read too, since the
    /// GitLab trace API and `gh` write logs without one.
    static let logExtensions: Set<String> = ["log", "txt", "trace", "out"]
    static let maxLongLineNotices = 3

    public init(forcedFormat: InputFormat? = nil, maxLineBytes: Int = LineReader.defaultMaxLineBytes) {
        self.forcedFormat = forcedFormat
        self.maxLineBytes = maxLineBytes
    }

    /// Reads every input into `sink` and returns the pipeline's jobs in order.
    public func read<Sink: IngestSink>(_ paths: [String], into sink: inout Sink) throws -> Pipeline {
        let plan = try Self.plan(paths)
        let files = plan.files
        var jobs = JobTable()
        var notices = plan.skipped
        var formats: Set<InputFormat> = []
        var readable = 0
        var firstError: InputError?
        var failures = 0

        for file in files {
            let source: InputSource
            do {
                source = try InputSource(path: file)
                try source.checkIsText()
            } catch {
                // One bad file in a folder should not hide the rest; alone, it is the answer.
                if files.count == 1 { throw error }
                firstError = firstError ?? error
                failures += 1
                notices.append(Notice(source: file, message: "skipped: \(error.description)"))
                continue
            }
            let profile = FormatDetector.profile(prefix: source.prefix, forcedFormat: forcedFormat, complete: source.reachedEnd)
            formats.insert(profile.format)
            let lines = try stream(source, profile: profile, jobs: &jobs, notices: &notices, sink: &sink)
            if lines > 0 {
                readable += 1
            } else if files.count > 1 {
                notices.append(Notice(source: file, message: "skipped: the file is empty"))
            }
        }
        if readable == 0 {
            if let firstError, files.count > 1, failures == files.count { throw firstError }
            throw InputError.empty(sources: files)
        }
        jobs.assignOrder()
        return Pipeline(format: formats.count == 1 ? formats.first : nil, jobs: jobs.jobs, notices: notices)
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
                        message: "line is \(Self.size(raw.count + dropped)) long; only \(Self.size(raw.count)) of it was analysed"))
                }
            }
            output.reset()
            // A markdown fence holds no text of the log: it is framed as an empty line.
            let content = decoration.content(of: raw) ?? 0..<0
            framer.frame(UnsafeBufferPointer(rebasing: raw[content]), into: &output, jobs: &jobs)
            guard let job = output.job else { return }
            jobs.countLine(of: job)
            let text = output.text.map { normalizer.normalize($0) }
            if let text { outcomes.observe(text, job: job) }
            if joiner != nil {
                joiner?.take(job: job, number: number, output: output, text: text, into: &sink)
                return
            }
            (text ?? []).withUnsafeBufferPointer { bytes in
                for event in output.structural {
                    sink.structural(kind: event.kind, job: job, line: number, text: bytes, fields: event.fields)
                }
                if text != nil {
                    sink.line(job: job, number: number, text: bytes)
                }
            }
        }
        joiner?.flush(into: &sink)
        // An exit line is more precise than what a framer infers at the end (a `##[error]` seen,
        // the runner's clean-up reached), so it goes first; neither overrides what framing read.
        outcomes.finish(jobs: &jobs)
        framer.finish(jobs: &jobs)
        if longLines > Self.maxLongLineNotices {
            notices.append(Notice(source: source.name, message: "\(longLines - Self.maxLongLineNotices) more lines were longer than \(Self.size(maxLineBytes)) and were shortened"))
        }
        return lineCount
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
    /// extension (`test.log` → `test`); what comes on standard input is mostly pasted.
    package static let pastedJobName = "the pasted log"

    package static func jobName(for path: String) -> String {
        if path == "-" { return pastedJobName }
        let file = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = file.lastIndex(of: "."), dot != file.startIndex else { return file }
        return String(file[..<dot])
    }

    /// The files to read, and the files of the given folders that will not be read, each with a
    /// notice that says why.
    public struct InputPlan: Sendable, Equatable {
        public var files: [String] = []
        public var skipped: [Notice] = []
    }

    /// Expands folders into their log files, sorted by path so the order is stable.
    public static func expand(_ paths: [String]) throws(InputError) -> [String] {
        try plan(paths).files
    }

    /// Expands folders into their log files, sorted by path so the order is stable; names the
    /// files a folder holds that cannot be read as logs (compressed, empty, links to folders).
    public static func plan(_ paths: [String]) throws(InputError) -> InputPlan {
        var plan = InputPlan()
        for path in paths {
            if path == "-" {
                plan.files.append(path)
                continue
            }
            var info = stat()
            guard stat(path, &info) == 0 else { throw .notFound(path: path) }
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                plan.files.append(path)
                continue
            }
            let folder = logFiles(in: path)
            if folder.files.isEmpty {
                // Alone, the reason a folder gives nothing is the answer.
                if let compressed = folder.compressed.first { throw .compressed(path: compressed.path, kind: compressed.kind) }
                if !folder.empty.isEmpty { throw .empty(sources: folder.empty) }
                throw .noLogFiles(directory: path)
            }
            plan.files += folder.files
            plan.skipped += folder.notices
        }
        return plan
    }

    struct FolderLogs {
        var files: [String] = []
        var compressed: [(path: String, kind: String)] = []
        var empty: [String] = []
        var notices: [Notice] = []
    }

    static func logFiles(in directory: String) -> FolderLogs {
        var result = FolderLogs()
        guard let walk = FolderWalker.walk(directory) else { return result }
        for path in walk.files {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            let ext = name.contains(".") ? (name.split(separator: ".").last.map { $0.lowercased() } ?? "") : ""
            if let kind = compressedExtensions[ext] {
                result.compressed.append((path, kind))
                let scan = kind == "gzip" ? ", or use `logdx scan`, which reads .gz files" : ""
                result.notices.append(Notice(source: path, message: "skipped: \(kind)-compressed; decompress it first (`\(kind) -dk \(path)`)\(scan)"))
                continue
            }
            guard ext.isEmpty || logExtensions.contains(ext) else { continue }
            var info = stat()
            if stat(path, &info) == 0 && info.st_size == 0 {
                result.empty.append(path)
                result.notices.append(Notice(source: path, message: "skipped: the file is empty"))
                continue
            }
            result.files.append(path)
        }
        for link in walk.unfollowedLinks {
            result.notices.append(Notice(source: link, message: "skipped: a link to a folder, not followed (pass the folder it points to, to read it)"))
        }
        return result
    }

    /// Compressed logs a folder may hold, by extension, with the compressor's name.
    static let compressedExtensions = ["gz": "gzip", "zst": "zstd"]

    package static func size(_ bytes: Int) -> String {
        if bytes >= 1 << 20 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}
