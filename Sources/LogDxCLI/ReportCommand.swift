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
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, html }

    @Option(help: ArgumentHelp("The results database written by `logdx scan`.", valueName: "file"))
    var db = "logdx.sqlite"

    @Option(help: ArgumentHelp("Only pipelines seen on or after this date (YYYY-MM-DD or ISO 8601).", valueName: "date"))
    var since: String?

    @Option(name: .shortAndLong, help: "Output format.")
    var format: Format = .text

    func run() throws {
        do {
            guard FileManager.default.fileExists(atPath: db) else {
                throw CLIError("\(db): no such database. Run `logdx scan FOLDER` first, or pass the database with --db.", exit: ExitStatus.usageOrInput)
            }
            let lower = try since.map { text throws(ScanError) in try ReportDates.parse(text) }
            let report = try ScanReport.build(from: ScanDatabase(path: db, access: .readOnly), since: lower)
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
}
