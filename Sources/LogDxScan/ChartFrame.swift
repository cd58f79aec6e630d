import Foundation
import LogDx

/// The frame the report's weekly charts share: one slot per week, a y axis with labelled round
/// ticks, and dates on the x axis with their year (a report can span a new year).
struct ChartFrame {
    let weeks: [String]
    let width = 1000.0, left = 56.0, right = 10.0, topMargin = 10.0, bottom = 40.0
    let height: Double

    init(weeks: [String], height: Double) {
        self.weeks = weeks
        self.height = height
    }

    var plotWidth: Double { width - left - right }
    var plotHeight: Double { height - bottom - topMargin }
    var slot: Double { plotWidth / Double(max(1, weeks.count)) }
    var barWidth: Double { max(2, slot * 0.7) }

    func center(_ index: Int) -> Double { left + slot * (Double(index) + 0.5) }

    func y(_ value: Double, top: Double) -> Double {
        topMargin + plotHeight - plotHeight * value / max(top, .leastNonzeroMagnitude)
    }

    func open(label: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(XML.escape(label))\">\n"
    }

    func yAxis(ticks: [Double], top: Double, label: (Double) -> String) -> String {
        var svg = ""
        for tick in ticks {
            let y = y(tick, top: top)
            svg += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(width - right))\" y2=\"\(f(y))\" stroke=\"#eee\"/>"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" font-size=\"11\" text-anchor=\"end\" fill=\"#666\">\(XML.escape(label(tick)))</text>\n"
        }
        return svg
    }

    /// A date label (YYYY-MM-DD, about 70 units wide) every few weeks, so labels never overlap.
    func xAxis(caption: String) -> String {
        var svg = ""
        let every = max(1, Int((80 / slot).rounded(.up)))
        for (i, week) in weeks.enumerated() where i % every == 0 {
            svg += "<text x=\"\(f(center(i)))\" y=\"\(f(height - bottom + 16))\" font-size=\"11\" text-anchor=\"middle\" fill=\"#444\">\(XML.escape(week))</text>\n"
        }
        svg += "<text x=\"\(f(left))\" y=\"\(f(height - 6))\" font-size=\"11\" fill=\"#666\">\(XML.escape(caption))</text>\n"
        return svg
    }

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }
}
