import Foundation
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
        // Both charts survive parsing and carry their bars.
        #expect(dom.stdout.components(separatedBy: "<svg").count == 3)
        #expect(dom.stdout.components(separatedBy: "<rect").count > 20)
        #expect(dom.stdout.contains(report.causes[0].rule))
        #expect(dom.stdout.contains("lost its lease on &lt;PATH&gt;") || dom.stdout.contains("lost its lease on <PATH>"))

        let png = scratch.path + "/report.png"
        let shot = try ScanRepo.run(browser, Self.flags + ["--screenshot=\(png)", "file://\(page)"])
        #expect(shot.status == 0, "chromium --screenshot failed: \(shot.stderr.suffix(400))")
        let data = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(data.starts(with: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), "a PNG file")
        // IHDR: width and height, big-endian, right after the signature and chunk header.
        let width = data[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = data[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 1200 && height == 1800)
        // A blank page compresses to a few kilobytes; charts and tables do not.
        #expect(data.count > 40_000, "the screenshot looks empty (\(data.count) bytes)")
        if ProcessInfo.processInfo.environment["LOGDX_RECORD"].map({ !$0.isEmpty && $0 != "0" }) == true {
            let shown = ScanRepo.root + "/Tests/ScanTests/Screenshots/report.png"
            try? FileManager.default.createDirectory(atPath: (shown as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try? FileManager.default.removeItem(atPath: shown)
            try FileManager.default.copyItem(atPath: png, toPath: shown)
        }
    }
}
