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

        Pipelines are recorded as they are diagnosed (small ones several to a transaction), each \
        whole or not at all, so an interrupted scan loses nothing already recorded, and running \
        it again skips every pipeline whose files \
        (size and mtime, else content hash) and rules are unchanged. Several scans may share one \
        database. See the results with `logdx report`.

        Examples:
          logdx scan ci-logs/                         # ci-logs/<pipeline>/<job>.log
          logdx scan --group-by '^([^/]+)/' runs/     # runs/<pipeline>/<job>/<attempt>.log.gz
          logdx scan --jsonl logs/ > results.jsonl    # one JSON object per pipeline diagnosed
          find runs -mindepth 1 -maxdepth 1 -type d | logdx scan --paths-from - --no-db --jsonl

        Each JSON line is the JSON format's document (`diagnose --format json`) plus a `scan` \
        member: pipeline, key, files, rules_version, seen_at (ISO 8601) and seen_at_unix (seconds, \
        the exact value reports order by), seen_from (log or mtime), error and file_errors when \
        something could not be read, and unexplained: the failed jobs no rule explains, each with \
        job, line, text and signature (the masked line `report` clusters). A pipeline that could \
        not be analysed has only the `scan` member.

        --paths-from reads the paths to scan from a file, one per line, or from standard input \
        (-), and scans each as soon as a worker is free: one long-lived process can be fed \
        pipelines through a pipe (the Spark job does, a partition at a time). With --no-db \
        nothing is recorded or skipped; the JSON lines are the only result.
        """)

    @Argument(help: ArgumentHelp("Folders of pipelines, or log files.", valueName: "path"))
    var paths: [String] = []

    @Option(help: ArgumentHelp(
        "Also scan the paths listed in this file, one per line, as they are read (- for standard input).",
        valueName: "file"))
    var pathsFrom: String?

    @Option(help: ArgumentHelp("The results database (created when missing).", valueName: "file"))
    var db = "logdx.sqlite"

    @Flag(help: "Record nothing and skip nothing: no database, only the --jsonl lines.")
    var noDb = false

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
        if paths.isEmpty && pathsFrom == nil {
            throw ValidationError("Nothing to scan: give folders of pipelines, or --paths-from FILE (- for standard input).")
        }
        if noDb && !jsonl {
            throw ValidationError("--no-db records nothing, so it needs --jsonl to write the results to standard output.")
        }
    }

    func run() throws {
        let ruleSet = try rules.load()
        do {
            var options = PipelineScanner.Options()
            if let workers { options.workers = workers }
            options.force = force
            options.inputFormat = inputFormat
            options.excerptLines = excerptLines
            options.exitsAfterRun = true
            let database = noDb ? nil : try ScanDatabase(path: db)
            let scanner = PipelineScanner(rules: ruleSet, database: database, options: options)
            let streams = GuardedStreams()
            if let pathsFrom {
                try runStream(scanner, from: pathsFrom, streams: streams)
                return
            }
            let plan = try ScanPlan.make(paths: paths, groupBy: groupBy)
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
                streams.write(line: line, to: .output)
            }, progress: meter)
            try streams.check()
            for message in summary.fileErrors { try warn(message) }
            for message in summary.pipelineErrors.prefix(20) { try warn(message) }
            if summary.pipelineErrors.count > 20 { try warn("… \(summary.pipelineErrors.count - 20) more pipelines could not be analysed") }
            let mb = Double(summary.bytesRead) / 1_000_000
            let rate = summary.seconds > 0 ? mb / summary.seconds : 0
            try StandardStream.error.write(String(
                format: "logdx scan: %d pipelines: %d diagnosed, %d unchanged, %d unreadable; %.1f MB in %.1f s (%.1f MB/s) → %@\n",
                summary.pipelines, summary.scanned, summary.skipped, summary.failed, mb, summary.seconds, rate, noDb ? "no database" : db))
        } catch {
            // (Matching `let error as ScanError` here crashes the Swift 6.3 compiler.)
            guard let scanError = error as? ScanError else { throw error }
            throw CLIError(scanError.description, exit: ExitStatus.usageOrInput)
        }
    }

    /// Scans the command line's paths, then each path read from `source` as it arrives.
    private func runStream(_ scanner: PipelineScanner, from source: String, streams: GuardedStreams) throws {
        guard let lines = source == "-" ? InputLines(standardInput: ()) : InputLines(path: source) else {
            throw CLIError("--paths-from \(source): cannot open it. Pass a readable file of paths, one per line, or - for standard input.", exit: ExitStatus.usageOrInput)
        }
        var queued = paths[...]
        let summary = try scanner.runStream(nextPath: {
            if let path = queued.popFirst() { return path }
            return lines.next()
        }, source: (paths + ["--paths-from \(source)"]).joined(separator: "\n"), groupBy: groupBy, wantJSON: jsonl, emit: { line in
            streams.write(line: line, to: .output)
        })
        try streams.check()
        for message in summary.fileErrors { try warn(message) }
        for message in summary.pipelineErrors { try warn(message) }
        try StandardStream.error.write(String(
            format: "logdx scan: %d pipelines: %d diagnosed, %d unchanged, %d unreadable; %.1f MB in %.1f s → %@\n",
            summary.pipelines, summary.scanned, summary.skipped, summary.failed, Double(summary.bytesRead) / 1_000_000, summary.seconds,
            noDb ? "no database" : db))
    }

    private func warn(_ message: String) throws(StandardStreamError) {
        try StandardStream.error.write("logdx: \(message)\n")
    }
}
