#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        let files = try Self.expand(paths)
        var jobs = JobTable()
        var notices: [Notice] = []
        var formats: Set<InputFormat> = []
        var readable = 0
        var firstError: InputError?

        for file in files {
            let source: InputSource
            do {
                source = try InputSource(path: file)
                try source.checkIsText()
            } catch {
                // One bad file in a folder should not hide the rest; alone, it is the answer.
                if files.count == 1 { throw error }
                firstError = firstError ?? error
                notices.append(Notice(source: file, message: "skipped: \(error.description)"))
                continue
            }
            let format = forcedFormat ?? FormatDetector.detect(prefix: source.prefix)
            formats.insert(format)
            let lines = try stream(source, format: format, jobs: &jobs, notices: &notices, sink: &sink)
            if lines > 0 { readable += 1 }
        }
        if readable == 0 {
            if let firstError, files.count > 1, notices.count == files.count { throw firstError }
            throw InputError.empty(sources: files)
        }
        jobs.assignOrder()
        return Pipeline(format: formats.count == 1 ? formats.first : nil, jobs: jobs.jobs, notices: notices)
    }

    private func stream<Sink: IngestSink>(
        _ source: InputSource, format: InputFormat, jobs: inout JobTable, notices: inout [Notice], sink: inout Sink
    ) throws -> Int {
        var framer = makeFramer(format, source: source, jobs: &jobs)
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
                        message: "line is \(Self.size(raw.count + dropped)) long; only its first \(Self.size(raw.count)) were analysed"))
                }
            }
            output.reset()
            framer.frame(raw, into: &output, jobs: &jobs)
            guard let job = output.job else { return }
            jobs.countLine(of: job)
            let text = output.text ?? []
            text.withUnsafeBufferPointer { bytes in
                for event in output.structural {
                    sink.structural(kind: event.kind, job: job, line: number, text: bytes, fields: event.fields)
                }
                if output.text != nil {
                    sink.line(job: job, number: number, text: bytes)
                }
            }
        }
        framer.finish(jobs: &jobs)
        if longLines > Self.maxLongLineNotices {
            notices.append(Notice(source: source.name, message: "\(longLines - Self.maxLongLineNotices) more lines were longer than \(Self.size(maxLineBytes)) and were shortened"))
        }
        return lineCount
    }

    private func makeFramer(_ format: InputFormat, source: InputSource, jobs: inout JobTable) -> any Framer {
        let name = Self.jobName(for: source.name)
        switch format {
        case .gitlabCILocal: return GitLabCILocalFramer(source: source.name)
        case .ghRunView: return GHRunViewFramer(source: source.name)
        case .gitlabRunner: return GitLabRunnerFramer(job: jobs.add(name: name, source: source.name, format: format))
        case .githubActions: return GitHubActionsFramer(job: jobs.add(name: name, source: source.name, format: format))
        case .jenkins: return JenkinsFramer(job: jobs.add(name: name, source: source.name, format: format))
        case .plain: return PlainFramer(job: jobs.add(name: name, source: source.name, format: format))
        }
    }

    /// The job name a file gives when its log does not name the job: the file name without its
    /// extension (`test.log` → `test`), or `stdin`.
    static func jobName(for path: String) -> String {
        if path == "-" { return "stdin" }
        let file = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = file.lastIndex(of: "."), dot != file.startIndex else { return file }
        return String(file[..<dot])
    }

    /// Expands folders into their log files, sorted by path so the order is stable.
    static func expand(_ paths: [String]) throws(InputError) -> [String] {
        var files: [String] = []
        for path in paths {
            if path == "-" {
                files.append(path)
                continue
            }
            var info = stat()
            guard stat(path, &info) == 0 else { throw .notFound(path: path) }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                let found = listLogFiles(in: path)
                guard !found.isEmpty else { throw .noLogFiles(directory: path) }
                files.append(contentsOf: found)
            } else {
                files.append(path)
            }
        }
        return files
    }

    private static func listLogFiles(in directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var result: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name.hasPrefix(".") { continue }
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            var info = stat()
            guard stat(path, &info) == 0 else { continue }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                result.append(contentsOf: listLogFiles(in: path))
            } else if (info.st_mode & S_IFMT) == S_IFREG {
                let ext = name.contains(".") ? String(name.split(separator: ".").last!).lowercased() : ""
                if ext.isEmpty || logExtensions.contains(ext) { result.append(path) }
            }
        }
        return result.sorted()
    }

    static func size(_ bytes: Int) -> String {
        if bytes >= 1 << 20 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}
