import Foundation
import LogDx

/// The report as one self-contained HTML file: inline CSS and SVG charts, no scripts, fonts or
/// images from elsewhere, so it can be mailed, archived as a CI artifact, or opened offline.
public struct ReportHTMLRenderer: Sendable {
    public init() {}

    static let palette = ["#d1495b", "#edae49", "#00798c", "#30638e", "#6a4c93", "#8d6a9f", "#3b7d4f", "#a0a0a0"]

    public func render(_ report: ScanReport) -> String {
        let t = report.totals
        var html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>logdx report</title>
        <style>
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1100px;padding:0 16px;color:#1d1d1f;background:#fff}
        h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
        .muted{color:#666}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #eee;vertical-align:top}
        th{font-weight:600;background:#f6f6f6}td.n{text-align:right;font-variant-numeric:tabular-nums}code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;word-break:break-all}
        .legend span{display:inline-block;margin-right:14px}.sw{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:middle}
        .cards{display:flex;gap:12px;flex-wrap:wrap;margin:12px 0}.card{border:1px solid #ddd;border-radius:6px;padding:8px 14px;min-width:140px}
        .card b{display:block;font-size:22px}svg{max-width:100%;height:auto}
        </style></head><body>
        <h1>logdx report</h1>
        <div class="muted">generated \(esc(report.generatedAt))\(report.since.map { " · since " + esc($0) } ?? "") · rules \(esc(report.rulesVersions.joined(separator: ", ")))</div>
        <div class="cards">
        <div class="card"><b>\(t.pipelines)</b>pipelines</div>
        <div class="card"><b>\(t.diagnosed)</b>with a diagnosed cause</div>
        <div class="card"><b>\(t.unexplainedFailures)</b>failed jobs no rule explains</div>
        <div class="card"><b>\(report.clusters.count)</b>unknown-failure signatures</div>
        </div>

        """
        html += "<h2>Causes over time</h2>\n" + trendChart(report)
        html += "<h2>Top causes</h2>\n<table><tr><th>pipelines</th><th>rule</th><th>title (latest)</th><th>first seen</th><th>last seen</th><th>jobs</th><th>examples</th></tr>\n"
        for cause in report.causes {
            html += "<tr><td class=\"n\">\(cause.count)</td><td><code>\(esc(cause.rule))</code><br><span class=\"muted\">\(esc(cause.severity))</span></td>"
                + "<td>\(esc(cause.title))</td><td>\(esc(String(cause.firstSeen.prefix(10))))</td><td>\(esc(String(cause.lastSeen.prefix(10))))</td>"
                + "<td>\(cause.jobs.map { "\(esc($0.job)) (\($0.count))" }.joined(separator: "<br>"))</td>"
                + "<td>\(cause.examples.map { esc($0.pipeline) }.joined(separator: "<br>"))</td></tr>\n"
        }
        if report.causes.isEmpty { html += "<tr><td colspan=\"7\" class=\"muted\">No rule diagnosed an error or warning.</td></tr>\n" }
        html += "</table>\n<h2>Failures no rule explains</h2>\n" + clusterChart(report)
        html += "<table><tr><th>jobs</th><th>signature</th><th>first seen</th><th>last seen</th><th>examples</th></tr>\n"
        for cluster in report.clusters {
            html += "<tr><td class=\"n\">\(cluster.count)</td><td><code>\(esc(cluster.signature))</code></td>"
                + "<td>\(esc(String(cluster.firstSeen.prefix(10))))</td><td>\(esc(String(cluster.lastSeen.prefix(10))))</td><td>"
                + cluster.examples.map { "\(esc($0.pipeline)) / \(esc($0.job)): <code>\(esc(String($0.line.prefix(200))))</code>" }.joined(separator: "<br>")
                + "</td></tr>\n"
        }
        if report.clusters.isEmpty { html += "<tr><td colspan=\"5\" class=\"muted\">None.</td></tr>\n" }
        html += "</table>\n</body></html>\n"
        return html
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
        let width = 1000.0, height = 260.0, left = 44.0, bottom = 40.0, top_ = 10.0
        let plotW = width - left - 10, plotH = height - bottom - top_
        let totals = report.weeks.indices.map { i in series.reduce(0) { $0 + $1.values[i] } }
        let maxValue = max(1, totals.max() ?? 1)
        let slot = plotW / Double(report.weeks.count)
        let barW = max(2, slot * 0.7)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"Pipelines per week by cause\">\n"
        for step in 0...4 {
            let value = Double(maxValue) * Double(step) / 4
            let y = top_ + plotH - plotH * Double(step) / 4
            svg += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(width - 10))\" y2=\"\(f(y))\" stroke=\"#eee\"/>"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" font-size=\"11\" text-anchor=\"end\" fill=\"#666\">\(Int(value.rounded()))</text>\n"
        }
        for (i, week) in report.weeks.enumerated() {
            var y = top_ + plotH
            let x = left + slot * Double(i) + (slot - barW) / 2
            for (s, entry) in series.enumerated() where entry.values[i] > 0 {
                let h = plotH * Double(entry.values[i]) / Double(maxValue)
                y -= h
                svg += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(barW))\" height=\"\(f(h))\" fill=\"\(Self.palette[s % Self.palette.count])\"><title>\(esc(week)): \(esc(entry.name)) \(entry.values[i])</title></rect>\n"
            }
            let labelEvery = max(1, report.weeks.count / 12)
            if i % labelEvery == 0 {
                svg += "<text x=\"\(f(x + barW / 2))\" y=\"\(f(height - bottom + 16))\" font-size=\"11\" text-anchor=\"middle\" fill=\"#444\">\(esc(String(week.dropFirst(5))))</text>\n"
            }
        }
        svg += "<text x=\"\(f(left))\" y=\"\(f(height - 6))\" font-size=\"11\" fill=\"#666\">week of (Monday); bars: pipelines diagnosed with each cause</text>\n</svg>\n"
        let legend = "<div class=\"legend\">" + series.enumerated().map {
            "<span><i class=\"sw\" style=\"background:\(Self.palette[$0.offset % Self.palette.count])\"></i>\(esc($0.element.name))</span>"
        }.joined() + "</div>\n"
        return svg + legend
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

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }

    func esc(_ text: String) -> String { XML.escape(text) }
}
