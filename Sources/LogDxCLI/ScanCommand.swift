import ArgumentParser
import Foundation
import LogDx
import LogDxScan

/// `logdx scan`: diagnoses folders of pipelines in bulk and records the results in SQLite.
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Diagnose folders of pipelines in parallel and record the results in a SQLite database.",
        discussion: """
        Walks the folders for job logs: *.log, *.txt, *.trace, *.out and files without an extension, \
        plain or gzip/zstd-compressed (*.log.gz, trace.zst), as `diagnose FOLDER` does. By default the files of one folder are \
        one pipeline; --group-by takes a regular expression whose first capture group, over the \
        path relative to the scanned folder, names the pipeline instead.

        Each pipeline is recorded in one transaction as soon as it is diagnosed, so an interrupted \
        scan loses nothing already recorded, and running it again skips every pipeline whose files \
        (size and mtime, else content hash) and rules are unchanged. Several scans may share one \
        database. See the results with `logdx report`.

        Examples:
          logdx scan ci-logs/                         # ci-logs/<pipeline>/<job>.log
          logdx scan --group-by '^([^/]+)/' runs/     # runs/<pipeline>/<job>/<attempt>.log.gz
          logdx scan --jsonl logs/ > results.jsonl    # one JSON object per pipeline diagnosed
        """)

    @Argument(help: ArgumentHelp("Folders of pipelines, or log files.", valueName: "path"))
    var paths: [String]

    @Option(help: ArgumentHelp("The results database (created when missing).", valueName: "file"))
    var db = "logdx.sqlite"

    @Option(help: ArgumentHelp(
        "Group files into pipelines by the first capture group of this regular expression over their path relative to the scanned folder.",
        valueName: "regex"))
    var groupBy: String?

    @Flag(help: "Write one JSON object per pipeline diagnosed to standard output (the JSON format's shape, plus `scan`).")
    var jsonl = false

    @Option(name: .customLong("jobs"), help: ArgumentHelp("Pipelines diagnosed at once (default: the number of cores).", valueName: "n"))
    var workers: Int?

    @Flag(help: "Diagnose every pipeline again, even when its files and rules are unchanged.")
    var force = false

    @Option(help: ArgumentHelp("Read every input as this format instead of detecting it.", valueName: "format"))
    var inputFormat: InputFormat?

    @Option(help: ArgumentHelp("The most lines an excerpt of a failed job keeps.", valueName: "n"))
    var excerptLines = 20

    @Flag(name: .customLong("progress"), inversion: .prefixedNo, help: "Show progress on standard error (default: when it is a terminal).")
    var progress: Bool?

    @OptionGroup var rules: RuleOptions

    func validate() throws {
        if let workers, workers < 1 { throw ValidationError("--jobs must be at least 1.") }
        guard excerptLines >= 1 else { throw ValidationError("--excerpt-lines must be at least 1.") }
    }

    func run() throws {
        let ruleSet = try rules.load()
        do {
            let plan = try ScanPlan.make(paths: paths, groupBy: groupBy)
            let database = try ScanDatabase(path: db)
            var options = PipelineScanner.Options()
            if let workers { options.workers = workers }
            options.force = force
            options.inputFormat = inputFormat
            options.excerptLines = excerptLines
            let scanner = PipelineScanner(rules: ruleSet, database: database, options: options)
            let streams = GuardedStreams()
            let showProgress = progress ?? (isatty(2) != 0)
            let meter = showProgress
                ? ScanProgress(pipelines: plan.pipelines.count, bytes: plan.pipelines.reduce(0) { $0 + $1.bytes }) { frame in
                    _ = streams.write(frame, to: .error)
                }
                : nil
            if !plan.ungrouped.isEmpty {
                try warn("\(plan.ungrouped.count) file\(plan.ungrouped.count == 1 ? "" : "s") did not match --group-by and \(plan.ungrouped.count == 1 ? "was" : "were") not scanned, e.g. \(plan.ungrouped[0])")
            }
            let summary = try scanner.run(plan, paths: paths, wantJSON: jsonl, emit: { line in
                streams.write(line + "\n", to: .output)
            }, progress: meter)
            try streams.check()
            for message in summary.fileErrors { try warn(message) }
            for message in summary.pipelineErrors.prefix(20) { try warn(message) }
            if summary.pipelineErrors.count > 20 { try warn("… \(summary.pipelineErrors.count - 20) more pipelines could not be analysed") }
            let mb = Double(summary.bytesRead) / 1_000_000
            let rate = summary.seconds > 0 ? mb / summary.seconds : 0
            try StandardStream.error.write(String(
                format: "logdx scan: %d pipelines: %d diagnosed, %d unchanged, %d unreadable; %.1f MB in %.1f s (%.1f MB/s) → %@\n",
                summary.pipelines, summary.scanned, summary.skipped, summary.failed, mb, summary.seconds, rate, db))
        } catch {
            // (Matching `let error as ScanError` here crashes the Swift 6.3 compiler.)
            guard let scanError = error as? ScanError else { throw error }
            throw CLIError(scanError.description, exit: ExitStatus.usageOrInput)
        }
    }

    private func warn(_ message: String) throws(StandardStreamError) {
        try StandardStream.error.write("logdx: \(message)\n")
    }
}
