import Foundation
import LogDx

/// The report as one self-contained HTML file: inline CSS and SVG charts, no scripts, fonts or
/// images from elsewhere, so it can be mailed, archived as a CI artifact, or opened offline.
/// It answers a team lead's questions first: how often pipelines fail, week by week; which
/// causes, with the fix for each; and where to look (the pipelines' folders or logs).
public struct ReportHTMLRenderer: Sendable {
    public init() {}

    static let palette = ["#d1495b", "#edae49", "#00798c", "#30638e", "#6a4c93", "#8d6a9f", "#3b7d4f", "#a0a0a0"]
    /// Causes per page of the table; every cause is listed, page by page.
    static let pageSize = 15

    public func render(_ report: ScanReport) -> String {
        let t = report.totals
        let failed = report.failedPerWeek.reduce(0, +)
        let rate = t.pipelines > 0 ? " (\(percent(failed, of: t.pipelines)))" : ""
        var html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>logdx report</title>
        <style>
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1100px;padding:0 16px;color:#1d1d1f;background:#fff}
        h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
        .muted{color:#666}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #eee;vertical-align:top}
        th{font-weight:600;background:#f6f6f6;white-space:nowrap}td.n{text-align:right;font-variant-numeric:tabular-nums}
        code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace}
        .id,.name,.date{white-space:nowrap}.sig{overflow-wrap:break-word}
        .scroll{overflow-x:auto}.legend span{display:inline-block;margin-right:14px;white-space:nowrap}
        .sw{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:middle}
        .cards{display:flex;gap:12px;flex-wrap:wrap;margin:12px 0}.card{border:1px solid #ddd;border-radius:6px;padding:8px 14px;min-width:140px}
        .card b{display:block;font-size:22px}svg{max-width:100%;height:auto}
        .page{display:none}.page:first-of-type{display:block}.pages:has(.page:target) .page{display:none}.pages .page:target{display:block}
        nav.pager a{display:inline-block;padding:2px 8px;margin:6px 4px 0 0;border:1px solid #ccc;border-radius:4px;text-decoration:none}
        .chart{overflow-x:auto}
        @media (max-width:600px){body{margin:12px auto;padding:0 8px}.card{min-width:0;flex:1 1 40%}.wide{display:none}
        .chart svg{min-width:640px}table.rows tr:first-child{display:none}table.rows tr{display:block;border-bottom:1px solid #ddd;padding:6px 0}
        table.rows td{display:block;border:0;padding:2px 0;text-align:left}table.rows td[data-label]::before{content:attr(data-label) ": ";color:#666}table.rows td.wide{display:none}}
        </style></head><body>
        <h1>logdx report</h1>
        <div class="muted">generated \(esc(report.generatedAt))\(report.since.map { " · since " + esc($0) } ?? "") · rules \(esc(report.rulesVersions.joined(separator: ", ")))</div>
        <div class="cards">
        <div class="card"><b>\(t.pipelines)</b>pipelines scanned</div>
        <div class="card"><b>\(failed)</b>failed\(rate)</div>
        <div class="card"><b>\(t.diagnosed)</b>with a diagnosed cause</div>
        <div class="card"><b>\(t.unexplainedFailures)</b>failed jobs no rule explains</div>
        </div>

        """
        html += "<h2>Failure rate per week</h2>\n<div class=\"chart\">" + rateChart(report) + "</div>\n"
        html += "<h2>Causes over time</h2>\n<div class=\"chart\">" + trendChart(report) + "</div>\n"
        html += "<h2>Causes (\(report.causes.count))</h2>\n" + causeTable(report)
        html += "<h2>Failures no rule explains</h2>\n<div class=\"chart\">" + clusterChart(report) + "</div>\n"
        html += "<div class=\"scroll\"><table class=\"rows\"><tr><th>jobs</th><th>signature</th><th class=\"wide\">first seen</th><th>last seen</th><th>examples</th></tr>\n"
        for cluster in report.clusters {
            html += "<tr><td class=\"n\" data-label=\"failed jobs\">\(cluster.count)</td><td><code class=\"sig\">\(esc(cluster.signature))</code></td>"
                + "<td class=\"date wide\">\(esc(String(cluster.firstSeen.prefix(10))))</td><td class=\"date\" data-label=\"last seen\">\(esc(String(cluster.lastSeen.prefix(10))))</td><td>"
                + cluster.examples.map { "<span class=\"name\">\(esc($0.pipeline)) / \(esc($0.job))</span>: <code class=\"sig\">\(esc(String($0.line.prefix(200))))</code>" }.joined(separator: "<br>")
                + "</td></tr>\n"
        }
        if report.clusters.isEmpty { html += "<tr><td colspan=\"5\" class=\"muted\">None.</td></tr>\n" }
        html += "</table></div>\n</body></html>\n"
        return html
    }

    /// Every cause, `pageSize` to a page; pages switch with links (CSS `:target`, no script).
    func causeTable(_ report: ScanReport) -> String {
        guard !report.causes.isEmpty else { return "<p class=\"muted\">No rule diagnosed an error or warning.</p>\n" }
        let pages = stride(from: 0, to: report.causes.count, by: Self.pageSize).map {
            Array(report.causes[$0..<min($0 + Self.pageSize, report.causes.count)])
        }
        var html = "<div class=\"pages\">\n"
        for (number, causes) in pages.enumerated() {
            html += "<section class=\"page\" id=\"causes-\(number + 1)\"><div class=\"scroll\"><table class=\"rows\">"
                + "<tr><th>pipelines</th><th>cause</th><th>fix</th><th class=\"wide\">first seen</th><th>last seen</th><th class=\"wide\">jobs</th><th>where to look</th></tr>\n"
            for cause in causes {
                html += "<tr><td class=\"n\" data-label=\"pipelines\">\(cause.count)</td>"
                    + "<td>\(esc(cause.title))<br><code class=\"id\">\(esc(cause.rule))</code> <span class=\"muted\">\(esc(cause.severity))</span></td>"
                    + "<td data-label=\"fix\">\(cause.fix.map(esc) ?? "<span class=\"muted\">—</span>")</td>"
                    + "<td class=\"date wide\">\(esc(String(cause.firstSeen.prefix(10))))</td><td class=\"date\" data-label=\"last seen\">\(esc(String(cause.lastSeen.prefix(10))))</td>"
                    + "<td class=\"wide\">\(cause.jobs.map { "<span class=\"name\">\(esc($0.job))</span> (\($0.count))" }.joined(separator: "<br>"))</td>"
                    + "<td data-label=\"seen in\">\(cause.examples.map(exampleLink).joined(separator: " "))</td></tr>\n"
            }
            html += "</table></div></section>\n"
        }
        if pages.count > 1 {
            html += "<nav class=\"pager\">pages: " + pages.indices.map { "<a href=\"#causes-\($0 + 1)\">\($0 + 1)</a>" }.joined() + "</nav>\n"
        }
        return html + "</div>\n"
    }

    /// A pipeline's name, linked to where it is: a web address as it is, a path as a file URL.
    func exampleLink(_ example: ScanReport.Cause.Example) -> String {
        let name = "<span class=\"name\">\(esc(example.pipeline))</span>"
        guard let link = example.link, !link.isEmpty else { return name }
        let href: String
        if link.hasPrefix("https://") || link.hasPrefix("http://") {
            href = link
        } else if link.hasPrefix("/") {
            href = URL(fileURLWithPath: link).absoluteString
        } else {
            return name
        }
        return "<a href=\"\(esc(href))\" title=\"\(esc(link))\">\(name)</a>"
    }

    /// Per week, the share of scanned pipelines that had a failed job.
    func rateChart(_ report: ScanReport) -> String {
        guard !report.weeks.isEmpty else { return "<p class=\"muted\">Nothing recorded.</p>\n" }
        let values = report.weeks.indices.map { i in
            report.pipelinesPerWeek[i] > 0 ? Double(report.failedPerWeek[i]) / Double(report.pipelinesPerWeek[i]) : 0
        }
        let frame = ChartFrame(weeks: report.weeks, height: 200)
        var svg = frame.open(label: "Share of pipelines that failed, per week")
        svg += frame.yAxis(ticks: [0, 0.25, 0.5, 0.75, 1.0], top: 1.0) { "\(Int(($0 * 100).rounded())) %" }
        var points: [String] = []
        for (i, value) in values.enumerated() {
            let x = frame.center(i), y = frame.y(value, top: 1.0)
            points.append("\(f(x)),\(f(y))")
            svg += "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"3\" fill=\"#d1495b\"><title>week of \(esc(report.weeks[i])): \(report.failedPerWeek[i]) of \(report.pipelinesPerWeek[i]) pipelines failed</title></circle>\n"
        }
        svg += "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"#d1495b\" stroke-width=\"2\"/>\n"
        svg += frame.xAxis(caption: "week of (Monday); failed pipelines of all scanned that week")
        return svg + "</svg>\n"
    }

    /// Stacked bars: per week, the pipelines of each of the top causes (the rest as "other causes").
    func trendChart(_ report: ScanReport) -> String {
        guard !report.weeks.isEmpty else { return "<p class=\"muted\">Nothing recorded.</p>\n" }
        let top = Array(report.causes.prefix(6))
        var series: [(name: String, values: [Int])] = top.map { ($0.rule, $0.weekly.map(\.count)) }
        let others = report.causes.dropFirst(6)
        if !others.isEmpty {
            series.append(("other causes", report.weeks.indices.map { i in others.reduce(0) { $0 + $1.weekly[i].count } }))
        }
        let totals = report.weeks.indices.map { i in series.reduce(0) { $0 + $1.values[i] } }
        let ticks = Self.roundTicks(upTo: totals.max() ?? 0)
        let top_ = ticks.last ?? 1
        let frame = ChartFrame(weeks: report.weeks, height: 260)
        var svg = frame.open(label: "Pipelines per week by cause")
        svg += frame.yAxis(ticks: ticks, top: top_) { "\(Int($0))" }
        for (i, week) in report.weeks.enumerated() {
            var base = 0.0
            for (s, entry) in series.enumerated() where entry.values[i] > 0 {
                let value = Double(entry.values[i])
                let y = frame.y(base + value, top: top_), y0 = frame.y(base, top: top_)
                base += value
                svg += "<rect x=\"\(f(frame.center(i) - frame.barWidth / 2))\" y=\"\(f(y))\" width=\"\(f(frame.barWidth))\" height=\"\(f(y0 - y))\" fill=\"\(Self.palette[s % Self.palette.count])\"><title>week of \(esc(week)): \(esc(entry.name)) \(entry.values[i])</title></rect>\n"
            }
        }
        svg += frame.xAxis(caption: "week of (Monday); bars: pipelines diagnosed with each cause")
        svg += "</svg>\n"
        let legend = "<div class=\"legend\">" + series.enumerated().map {
            "<span><i class=\"sw\" style=\"background:\(Self.palette[$0.offset % Self.palette.count])\"></i><code class=\"id\">\(esc($0.element.name))</code></span>"
        }.joined() + "</div>\n"
        return svg + legend
    }

    /// Ticks at a round step (1, 2 or 5 times a power of ten), from 0 to the first tick at or
    /// above `maximum`, at most six.
    static func roundTicks(upTo maximum: Int) -> [Double] {
        let target = Double(max(1, maximum))
        var magnitude = 1.0
        while magnitude * 10 <= target { magnitude *= 10 }
        var step = magnitude
        for factor in [0.1, 0.2, 0.5, 1, 2, 5, 10] where magnitude * factor >= 1 {
            if (target / (magnitude * factor)).rounded(.up) <= 5 {
                step = magnitude * factor
                break
            }
        }
        let count = Int((target / step).rounded(.up))
        return (0...count).map { Double($0) * step }
    }

    /// Horizontal bars: the largest unknown-failure clusters.
    func clusterChart(_ report: ScanReport) -> String {
        let top = Array(report.clusters.prefix(10))
        guard !top.isEmpty else { return "" }
        let rowH = 26.0, labelW = 560.0, width = 1000.0
        let height = rowH * Double(top.count) + 10
        let maxValue = Double(max(1, top.map(\.count).max() ?? 1))
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"Largest clusters of unexplained failures\">\n"
        for (i, cluster) in top.enumerated() {
            let y = 5 + rowH * Double(i)
            let w = (width - labelW - 60) * Double(cluster.count) / maxValue
            let label = cluster.signature.count > 80 ? String(cluster.signature.prefix(79)) + "…" : cluster.signature
            svg += "<text x=\"\(f(labelW - 8))\" y=\"\(f(y + 16))\" font-size=\"11\" font-family=\"ui-monospace,Menlo,monospace\" text-anchor=\"end\" fill=\"#333\">\(esc(label))<title>\(esc(cluster.signature))</title></text>"
            svg += "<rect x=\"\(f(labelW))\" y=\"\(f(y + 3))\" width=\"\(f(max(1, w)))\" height=\"\(f(rowH - 8))\" fill=\"#30638e\"/>"
            svg += "<text x=\"\(f(labelW + w + 6))\" y=\"\(f(y + 16))\" font-size=\"11\" fill=\"#333\">\(cluster.count)</text>\n"
        }
        return svg + "</svg>\n"
    }

    private func percent(_ part: Int, of whole: Int) -> String {
        "\(Int((Double(part) * 100 / Double(whole)).rounded())) %"
    }

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }

    func esc(_ text: String) -> String { XML.escape(text) }
}
