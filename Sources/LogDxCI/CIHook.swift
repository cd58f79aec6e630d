import Foundation
import LogDx

/// The post-failure hook: fetch the pipeline's jobs and logs through the CI's API, diagnose them
/// as one pipeline (with the CI config when it is checked out), and report in the CI's own ways.
public struct CIHook: Sendable {
    public let settings: CISettings
    public let rules: RuleSet
    public let options: CIHookOptions
    public let client: HTTPClient
    private let progress: @Sendable (String) -> Void

    public init(settings: CISettings, rules: RuleSet, options: CIHookOptions, client: HTTPClient, progress: @escaping @Sendable (String) -> Void = { _ in }) {
        self.settings = settings
        self.rules = rules
        self.options = options
        self.client = client
        self.progress = progress
    }

    public func run() async -> CIHookOutcome {
        let redactor = OutputRedactor(token: settings.token)
        var outcome = CIHookOutcome(analysis: nil, output: "", written: [], notes: [])
        progress(redactor.line("logdx: reading \(settings.provider.displayName) \(settings.provider == .gitlab ? "pipeline" : "run") \(settings.pipeline) of \(settings.project)"))
        // Logs are held in memory only (MemoryLogFile): nothing raw reaches the disk, even when
        // the hook is killed half-way.
        var fetched: FetchedPipeline
        do throws(FetchError) {
            switch settings.provider {
            case .gitlab:
                fetched = try await GitLabFetcher(api: GitLabAPI(settings: settings, client: client), settings: settings, limits: options.limits).fetch()
            case .github:
                fetched = try await GitHubFetcher(api: GitHubAPI(settings: settings, client: client), limits: options.limits).fetch()
            }
        } catch {
            outcome.failure = redactor.line(error.description)
            return outcome
        }
        outcome.notes += fetched.notes.map(redactor.line)
        if let folder = options.keepLogsIn { keepLogs(fetched, in: folder, redactor: redactor, notes: &outcome.notes) }

        let config = loadConfig(notes: &outcome.notes)
        if let config { fetched.orderStages(config.stages) }

        let withLogs = fetched.jobsWithLogs
        guard !withLogs.isEmpty else {
            outcome.failure = fetched.jobs.isEmpty
                ? "the \(settings.provider == .gitlab ? "pipeline" : "run") has no finished jobs to diagnose"
                : "no job log could be downloaded"
            return outcome
        }
        progress("logdx: diagnosing \(withLogs.count) job\(withLogs.count == 1 ? "" : "s")")
        let analysis: Analysis
        do {
            var diagnoser = Diagnoser(rules: rules)
            diagnoser.excerptLines = options.excerptLines
            analysis = try diagnoser.diagnose(withLogs.compactMap(\.logInput), config: config)
        } catch {
            outcome.failure = redactor.line((error as? InputError)?.description ?? "\(error)")
            return outcome
        }
        outcome.analysis = analysis
        let reports = CIReports(analysis: analysis, redactor: redactor)
        outcome.output = settings.insideCI
            ? reports.logOutput(for: settings.provider, color: options.color)
            : reports.render(.text, color: options.color)
        writeFiles(reports, into: &outcome)
        if options.mergeRequestNote { await postNote(reports, into: &outcome) }
        return outcome
    }

    private func writeFiles(_ reports: CIReports, into outcome: inout CIHookOutcome) {
        let files: [(String?, OutputFormat)] = [
            (options.junitPath, .junit), (options.codeQualityPath, .codequality),
            (options.jsonPath, .json), (options.markdownPath, .markdown),
        ]
        for case let (path?, format) in files {
            do {
                try Data(reports.render(format).utf8).write(to: URL(fileURLWithPath: path))
                outcome.written.append(path)
            } catch {
                outcome.notes.append("could not write \(path): \(error.localizedDescription)".escapingControlCharacters())
            }
        }
        if settings.provider == .github, options.stepSummary, let summary = settings.stepSummaryPath {
            do {
                try Self.append(reports.render(.markdown), to: summary)
                outcome.written.append(summary)
            } catch {
                outcome.notes.append("could not append to the step summary \(summary): \(error.localizedDescription)".escapingControlCharacters())
            }
        }
    }

    private func postNote(_ reports: CIReports, into outcome: inout CIHookOutcome) async {
        guard settings.provider == .gitlab else {
            outcome.notes.append("--mr-note posts on GitLab merge requests only; on GitHub the step summary shows the diagnosis")
            return
        }
        guard let iid = settings.mergeRequestIID else {
            outcome.notes.append("--mr-note: not a merge-request pipeline (CI_MERGE_REQUEST_IID is not set); no note posted")
            return
        }
        guard reports.hasFindings else { return }
        do throws(FetchError) {
            let updated = try await GitLabAPI(settings: settings, client: client).upsertNote(reports.render(.markdown), mergeRequest: iid)
            outcome.written.append("merge request !\(iid) (note \(updated ? "updated" : "posted"))")
        } catch {
            outcome.notes.append(reports.redactor.line("could not post the merge-request note: \(error.description)"))
        }
    }

    /// The config file: the option's, else the one the CI names, if it is checked out. A config
    /// that cannot be read is a note: the logs alone still explain most failures.
    private func loadConfig(notes: inout [String]) -> CIConfig? {
        guard options.readConfig else { return nil }
        let explicit = options.configPath
        guard let path = explicit ?? settings.configPath else { return nil }
        guard FileManager.default.fileExists(atPath: path) else {
            if explicit != nil { notes.append("--config \(path): no such file".escapingControlCharacters()) }
            return nil
        }
        do {
            // Its notices reach the user with the pipeline's (the engine adds them).
            return try CIConfig.load(path: path, repository: settings.workspace)
        } catch {
            notes.append("config not used: \(error.description)".escapingControlCharacters())
            return nil
        }
    }

    /// `--keep-logs`: each log as `<job id>.log`, every line redacted as the reports are, so
    /// a folder kept as an artifact holds no secret.
    private func keepLogs(_ pipeline: FetchedPipeline, in folder: String, redactor: OutputRedactor, notes: inout [String]) {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            notes.append("--keep-logs \(folder): \(error.localizedDescription)".escapingControlCharacters())
            return
        }
        for job in pipeline.jobs {
            guard let log = job.log else { continue }
            let target = folder + "/" + job.id + ".log"
            do {
                try RedactedCopy(redactor: redactor).write(log, to: target)
            } catch {
                notes.append("--keep-logs: could not write \(target): \(error)".escapingControlCharacters())
            }
        }
    }

    static func append(_ text: String, to path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }
}
