import Foundation
import TestSupport
import LogDx
@testable import LogDxScan
import Testing

/// The HTML report as a person sees it: rendered by headless Chromium (Debian's `chromium`, which
/// `make deps` installs), its charts present after layout, and a screenshot taken.
@Suite(.serialized)
struct HTMLReportRenderTests {
    static var chromium: String? {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for directory in ["/usr/bin", "/usr/local/bin", "/snap/bin"] where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
                return "\(directory)/\(name)"
            }
        }
        return nil
    }

    static let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1200,1800"]

    @Test func chromiumRendersTheReportWithItsCharts() throws {
        let browser = try #require(Self.chromium, "headless Chromium is needed: `make deps` installs Debian's chromium")
        let scratch = ScratchFolder()
        let logs = scratch.path + "/logs", db = scratch.path + "/logdx.sqlite", page = scratch.path + "/report.html"
        _ = try ScanRepo.generate(into: logs, scale: 0.5)
        _ = try PipelineScanner.scan(logs, db: db)
        let report = try ScanReport.build(from: ScanDatabase(path: db))
        try ReportHTMLRenderer().render(report).write(toFile: page, atomically: true, encoding: .utf8)

        let dom = try ScanRepo.run(browser, Self.flags + ["--dump-dom", "file://\(page)"])
        #expect(dom.status == 0, "chromium --dump-dom failed: \(dom.stderr.suffix(400))")
        #expect(dom.stdout.contains("logdx report"))
        // The three charts (failure rate, causes, unknown failures) survive parsing with their bars.
        #expect(dom.stdout.components(separatedBy: "<svg").count == 4)
        #expect(dom.stdout.components(separatedBy: "<rect").count > 20)
        #expect(dom.stdout.contains(report.causes[0].rule))
        #expect(dom.stdout.contains("lost its lease on &lt;PATH&gt;") || dom.stdout.contains("lost its lease on <PATH>"))

        for (width, name) in [(1200, "report.png"), (390, "report-narrow.png")] {
            let png = scratch.path + "/" + name
            let flags = Self.flags.map { $0.hasPrefix("--window-size=") ? "--window-size=\(width),1800" : $0 }
            let shot = try ScanRepo.run(browser, flags + ["--screenshot=\(png)", "file://\(page)"])
            #expect(shot.status == 0, "chromium --screenshot failed: \(shot.stderr.suffix(400))")
            let data = try Data(contentsOf: URL(fileURLWithPath: png))
            #expect(data.starts(with: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), "a PNG file")
            // IHDR: width and height, big-endian, right after the signature and chunk header.
            #expect(data[16..<20].reduce(0) { $0 << 8 | Int($1) } == width)
            #expect(data[20..<24].reduce(0) { $0 << 8 | Int($1) } == 1800)
            // A blank page compresses to a few kilobytes; charts and tables do not.
            #expect(data.count > 30_000, "the \(width) px screenshot looks empty (\(data.count) bytes)")
            if ProcessInfo.processInfo.environment["LOGDX_RECORD"].map({ !$0.isEmpty && $0 != "0" }) == true {
                let shown = ScanRepo.root + "/Tests/ScanTests/Screenshots/" + name
                try? FileManager.default.createDirectory(atPath: (shown as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try? FileManager.default.removeItem(atPath: shown)
                try FileManager.default.copyItem(atPath: png, toPath: shown)
            }
        }
    }

    /// What a team lead asks of the page: the failure rate, each cause's fix and where to look,
    /// every cause, dates with their year, round ticks, and rule ids and names never broken
    /// mid-word, on a wide screen and a phone. Layout is measured in Chromium itself: a copy of
    /// the page gets a script that counts ids and names laid out over more than one line.
    @Test(arguments: [1200, 390])
    func theReportAnswersATeamLeadsQuestions(width: Int) throws {
        let browser = try #require(Self.chromium, "headless Chromium is needed: `make test-deps` installs Debian's chromium")
        let scratch = ScratchFolder()
        let logs = scratch.path + "/logs", db = scratch.path + "/logdx.sqlite", page = scratch.path + "/report.html"
        _ = try ScanRepo.generate(into: logs, scale: 0.5)
        _ = try PipelineScanner.scan(logs, db: db)
        let report = try ScanReport.build(from: ScanDatabase(path: db))
        let html = ReportHTMLRenderer().render(report)

        // Weeks without pipelines at the ends are trimmed; the rate counts failed pipelines.
        #expect(report.pipelinesPerWeek.first ?? 0 > 0 && report.pipelinesPerWeek.last ?? 0 > 0)
        #expect(report.failedPerWeek.reduce(0, +) > 0)
        #expect(zip(report.failedPerWeek, report.pipelinesPerWeek).allSatisfy { $0 <= $1 })
        #expect(html.contains("Failure rate per week"))
        // Every cause, with its fix and a link to a pipeline it was seen in.
        #expect(html.components(separatedBy: "<code class=\"id\">").count - 1 >= report.causes.count)
        for cause in report.causes {
            #expect(html.contains(">\(cause.rule)</code>"), "\(cause.rule) is not listed")
            let fix = try #require(cause.fix, "\(cause.rule) has no fix title")
            #expect(html.contains(XML.escape(fix)))
            let link = try #require(cause.examples.first?.link)
            #expect(html.contains("href=\"\(URL(fileURLWithPath: link).absoluteString)\""))
        }
        // Dates on the axes carry their year; y ticks are round.
        let firstWeek = try #require(report.weeks.first)
        #expect(html.contains(">\(firstWeek)</text>"))
        for tick in ReportHTMLRenderer.roundTicks(upTo: 37) { #expect(tick.truncatingRemainder(dividingBy: 10) == 0) }
        #expect(ReportHTMLRenderer.roundTicks(upTo: 7) == [0, 2, 4, 6, 8])

        let probe = html.replacingOccurrences(of: "</body>", with: """
        <script>
        const broken = [...document.querySelectorAll('.page').values()].flatMap(p => { p.style.display = 'block'; return [...p.querySelectorAll('.id, .name')]; })
          .concat([...document.querySelectorAll('.legend .id')])
          .filter(e => e.getClientRects().length > 1 || e.getBoundingClientRect().height > 24).map(e => e.textContent);
        document.body.setAttribute('data-broken', JSON.stringify(broken));
        document.body.setAttribute('data-overflow', String(document.documentElement.scrollWidth > window.innerWidth));
        </script></body>
        """)
        try probe.write(toFile: page, atomically: true, encoding: .utf8)
        let flags = Self.flags.map { $0.hasPrefix("--window-size=") ? "--window-size=\(width),1800" : $0 }
        let dom = try ScanRepo.run(browser, flags + ["--dump-dom", "file://\(page)"])
        #expect(dom.status == 0, "chromium --dump-dom failed: \(dom.stderr.suffix(400))")
        #expect(dom.stdout.contains("data-broken=\"[]\""), "ids or names broken over lines at \(width) px: \(dom.stdout.components(separatedBy: "data-broken=").dropFirst().first?.prefix(300) ?? "no probe result")")
        // The page itself never scrolls sideways; wide tables scroll in their own box.
        #expect(dom.stdout.contains("data-overflow=\"false\""), "the page is wider than \(width) px")
    }
}
