import LogDx

/// The report as plain text for a terminal: causes first, then the trend, then what no rule knows.
public struct ReportTextRenderer: Sendable {
    public var maxCauses = 15
    public var maxClusters = 15

    public init() {}

    public func render(_ report: ScanReport) -> String {
        var out = ""
        let t = report.totals
        let span = t.firstSeen.map { " seen \($0.prefix(10)) … \((t.lastSeen ?? $0).prefix(10))" } ?? ""
        out += "logdx report: \(t.pipelines) pipeline\(t.pipelines == 1 ? "" : "s")\(span)"
        if let since = report.since { out += " (since \(since.prefix(10)))" }
        out += "\n  \(t.diagnosed) with a diagnosed cause, \(t.unexplainedFailures) failed job\(t.unexplainedFailures == 1 ? "" : "s") no rule explains"
        out += " (\(report.clusters.count) signature\(report.clusters.count == 1 ? "" : "s"))"
        if t.unreadable > 0 { out += ", \(t.unreadable) unreadable" }
        out += "\n"
        if t.pipelines == 0 {
            return out + "\nNothing recorded yet: run `logdx scan FOLDER` first.\n"
        }

        out += "\nTop causes (pipelines)\n"
        if report.causes.isEmpty { out += "  none: no rule diagnosed an error or warning\n" }
        let ruleWidth = min(40, report.causes.prefix(maxCauses).map(\.rule.count).max() ?? 4)
        for cause in report.causes.prefix(maxCauses) {
            out += "  " + pad(String(cause.count), 6, right: true) + "  " + pad(cause.rule, ruleWidth) + "  "
                + "\(cause.firstSeen.prefix(10)) … \(cause.lastSeen.prefix(10))\n"
            out += "          \(shown(cause.title))\n"
            if !cause.jobs.isEmpty {
                out += "          jobs: " + cause.jobs.map { "\(shown($0.job)) (\($0.count))" }.joined(separator: ", ") + "\n"
            }
            out += "          e.g. " + cause.examples.map { shown($0.pipeline) }.joined(separator: ", ") + "\n"
        }
        if report.causes.count > maxCauses { out += "  … \(report.causes.count - maxCauses) more (--format json lists all)\n" }

        if report.weeks.count > 1 {
            let shown = report.weeks.indices.suffix(12)
            out += "\nWeekly trend (pipelines seen, then the top causes' pipelines)"
            out += shown.count < report.weeks.count ? ", the last \(shown.count) of \(report.weeks.count) weeks\n" : "\n"
            let top = report.causes.prefix(4)
            let widths = top.map { max(6, min(28, $0.rule.count)) }
            out += "  week of     pipelines  " + zip(top, widths).map { pad(String($0.rule.prefix($1)), $1, right: true) }.joined(separator: "  ") + "\n"
            for index in shown {
                out += "  \(report.weeks[index])  " + pad(String(report.pipelinesPerWeek[index]), 9, right: true) + "  "
                    + zip(top, widths).map { pad(String($0.weekly[index].count), $1, right: true) }.joined(separator: "  ") + "\n"
            }
        }

        out += "\nFailures no rule explains, by signature\n"
        if report.clusters.isEmpty { out += "  none\n" }
        for cluster in report.clusters.prefix(maxClusters) {
            out += "  " + pad(String(cluster.count), 6, right: true) + "  \(shown(cluster.signature))\n"
            if let example = cluster.examples.first {
                out += "          e.g. \(shown(example.pipeline)) / \(shown(example.job)): \(shown(String(example.line.prefix(160))))\n"
            }
        }
        if report.clusters.count > maxClusters { out += "  … \(report.clusters.count - maxClusters) more (--format json lists all)\n" }
        return out
    }

    /// Names and lines come from file names and logs: escaped, they cannot forge a line of the
    /// report or send the terminal an escape sequence.
    private func shown(_ text: String) -> String {
        text.escapingControlCharacters()
    }

    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        guard text.count < width else { return text }
        let fill = String(repeating: " ", count: width - text.count)
        return right ? fill + text : text + fill
    }
}
