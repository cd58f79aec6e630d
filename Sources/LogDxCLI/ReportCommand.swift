import ArgumentParser
import Foundation
import LogDxScan

/// `logdx report`: what the scans recorded, as text, JSON or one self-contained HTML page.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Summarise the scans in a database: top causes, weekly trend, jobs, unknown-failure clusters.",
        discussion: """
        Causes count pipelines (a rule counts once per pipeline) and leave out notes; "seen" is \
        when a pipeline ran: its logs' first timestamp, else its files' modification time. \
        Failed jobs no rule explains are grouped by the signature of the line that names the \
        failure (numbers, paths, ids, times and quoted values masked).

        Examples:
          logdx report
          logdx report --since 2026-10-01 --format json > report.json
          logdx report --format html > report.html
          logdx report --from report.json --format html > report.html   # a report the Spark job wrote
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, html }

    @Option(help: ArgumentHelp("The results database written by `logdx scan`.", valueName: "file"))
    var db = "logdx.sqlite"

    @Option(help: ArgumentHelp("Only pipelines seen on or after this date (YYYY-MM-DD or ISO 8601).", valueName: "date"))
    var since: String?

    @Option(help: ArgumentHelp(
        "Render this report JSON (from `--format json`, or the Spark job's report.json) instead of reading a database.",
        valueName: "file"))
    var from: String?

    @Option(name: .shortAndLong, help: "Output format.")
    var format: Format = .text

    @Option(help: ArgumentHelp(
        "Cluster the failure signatures in this file (- for standard input; one JSON string a line, in mining order) as reports do, and print each one's cluster and template as a JSON line.",
        valueName: "file"))
    var clusterSignatures: String?

    func validate() throws {
        // A report file was computed already: a --since could not be applied to it, only ignored.
        if from != nil && since != nil {
            throw ValidationError("--since filters a database; a --from report is already computed. Compute it again with the date (`logdx report --since DATE`, or the Spark job's --since).")
        }
    }

    func run() throws {
        if let clusterSignatures {
            try clusterLines(clusterSignatures)
            return
        }
        do {
            let report: ScanReport
            if let from {
                report = try ScanReport.read(path: from)
            } else {
                guard FileManager.default.fileExists(atPath: db) else {
                    throw CLIError("\(db): no such database. Run `logdx scan FOLDER` first, or pass the database with --db.", exit: ExitStatus.usageOrInput)
                }
                let lower = try since.map { text throws(ScanError) in try ReportDates.parse(text) }
                report = try ScanReport.build(from: ScanDatabase(path: db, access: .readOnly), since: lower)
            }
            let output: String
            switch format {
            case .text: output = ReportTextRenderer().render(report)
            case .json: output = report.json()
            case .html: output = ReportHTMLRenderer().render(report)
            }
            try StandardStream.output.write(output)
        } catch {
            // (Matching `let error as ScanError` here crashes the Swift 6.3 compiler.)
            guard let scanError = error as? ScanError else { throw error }
            throw CLIError(scanError.description, exit: ExitStatus.usageOrInput)
        }
    }

    /// The one step of a report that must see every unexplained failure in order: the Spark job
    /// groups and counts in SQL, and hands the ordered signatures to this so that its clusters
    /// are the ones `report` mines from a database.
    private func clusterLines(_ source: String) throws {
        guard let lines = source == "-" ? InputLines(standardInput: ()) : InputLines(path: source) else {
            throw CLIError("--cluster-signatures \(source): cannot open it. Pass a file of JSON strings, one a line, or - for standard input.", exit: ExitStatus.usageOrInput)
        }
        var signatures: [String] = []
        var number = 0
        let decoder = JSONDecoder()
        while let line = lines.next() {
            number += 1
            guard let signature = try? decoder.decode(String.self, from: Data(line.utf8)) else {
                throw CLIError("--cluster-signatures \(source):\(number): not a JSON string. Write each signature as one, e.g. \"fatal: <PATH> not found\".", exit: ExitStatus.usageOrInput)
            }
            signatures.append(signature)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var output = BufferedLines(.output)
        for (cluster, template) in TemplateMiner.assign(signatures) {
            let data = try encoder.encode(MinedLine(cluster: cluster, template: template))
            try output.append(String(decoding: data, as: UTF8.self))
        }
        try output.flush()
    }

    private struct MinedLine: Encodable {
        var cluster: Int
        var template: String
    }
}
