import Foundation
import GRDB
import TestSupport
@testable import LogDxScan
import Testing

/// What the Spark job relies on: `scan --paths-from - --no-db --jsonl` answers as a database
/// scan does, `report --from` renders a report file as the database's, and
/// `report --cluster-signatures` mines as the report does.
@Suite(.serialized)
struct StreamScanTests {
    @Test func pathsFromStandardInputGiveTheLinesOfAScanAndRecordNothing() throws {
        let binary = try #require(ScanRepo.binary, "build logdx first (swift build)")
        let scratch = ScratchFolder()
        let logs = scratch.path + "/logs"
        let manifest = try ScanRepo.generate(into: logs, scale: 0.1)
        let folders = try FileManager.default.contentsOfDirectory(atPath: logs).filter { $0.hasPrefix("pipeline-") }.sorted()
        #expect(folders.count == manifest.pipelines)

        let reference = try ChildProcess.run(binary, ["scan", logs, "--db", scratch.path + "/ref.sqlite", "--jsonl", "--no-progress"])
        #expect(reference.status == 0, "\(reference.stderr)")
        // A path that is not there is named and counted; the others are still scanned.
        let input = (folders.map { logs + "/" + $0 } + [logs + "/nowhere"]).joined(separator: "\n") + "\n"
        let streamed = try ChildProcess.run(
            binary, ["scan", "--paths-from", "-", "--no-db", "--jsonl", "--no-progress", "--jobs", "1"],
            directory: scratch.path, stdin: Data(input.utf8))
        #expect(streamed.status == 0, "\(streamed.stderr)")
        #expect(streamed.stderr.contains("nowhere: no such file or directory"), "\(streamed.stderr)")
        #expect(streamed.stderr.contains("\(manifest.pipelines + 1) pipelines: \(manifest.pipelines) diagnosed"), "\(streamed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/logdx.sqlite"), "--no-db wrote a database")

        func byKey(_ output: String) throws -> [String: [String: Any]] {
            var result: [String: [String: Any]] = [:]
            for line in output.split(separator: "\n") {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let scan = try #require(object["scan"] as? [String: Any])
                result[try #require(scan["key"] as? String)] = object
            }
            return result
        }
        let expected = try byKey(reference.stdout), got = try byKey(streamed.stdout)
        #expect(got.count == manifest.pipelines && Set(got.keys) == Set(expected.keys))
        for (key, object) in got {
            #expect(NSDictionary(dictionary: object).isEqual(to: try #require(expected[key])), "\(key) differs from the database scan's line")
        }

        // seen_at_unix is the time the database orders and dates by, to the fraction.
        let db = try ScanDatabase(path: scratch.path + "/ref.sqlite", access: .readOnly)
        let stored = try db.connection.read { db in
            try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT key, seen_at FROM pipelines").map { ($0["key"] as String, $0["seen_at"] as Double) })
        }
        for (key, object) in got {
            let scan = try #require(object["scan"] as? [String: Any])
            #expect(scan["seen_at_unix"] as? Double == stored[key], "\(key)")
            #expect(["log", "mtime"].contains(scan["seen_from"] as? String ?? ""))
        }
    }

    @Test func pathsFromIntoADatabaseRecordAndClusterAsAScanDoes() throws {
        let binary = try #require(ScanRepo.binary, "build logdx first (swift build)")
        let scratch = ScratchFolder()
        let logs = scratch.path + "/logs", streamed = scratch.path + "/streamed.sqlite", scanned = scratch.path + "/scanned.sqlite"
        let manifest = try ScanRepo.generate(into: logs, scale: 0.2)
        let folders = try FileManager.default.contentsOfDirectory(atPath: logs).filter { $0.hasPrefix("pipeline-") }.sorted()
        let input = Data((folders.map { logs + "/" + $0 }.joined(separator: "\n") + "\n").utf8)
        let arguments = ["scan", "--paths-from", "-", "--db", streamed, "--no-progress"]
        let first = try ChildProcess.run(binary, arguments, stdin: input)
        #expect(first.status == 0 && first.stdout.isEmpty, "\(first.stderr)")
        _ = try PipelineScanner.scan(logs, db: scanned)
        func report(_ db: String) throws -> String {
            let json = try ChildProcess.run(binary, ["report", "--db", db, "--format", "json"]).stdout
            return json.replacing(/"generated_at" : "[^"]+"/, with: "")
        }
        // The clusters too: they are mined again after a streamed scan as after any other.
        #expect(try report(streamed) == report(scanned))
        #expect(try ScanRepo.count(streamed, "SELECT count(*) FROM clusters") == manifest.unknown.count)
        #expect(try ScanRepo.count(streamed, "SELECT count(*) FROM scans WHERE finished_at IS NOT NULL") == 1)

        let again = try ChildProcess.run(binary, arguments, stdin: input)
        #expect(again.stderr.contains("\(manifest.pipelines) pipelines: 0 diagnosed, \(manifest.pipelines) unchanged"), "\(again.stderr)")
        #expect(try ScanRepo.count(streamed, "SELECT count(*) FROM pipelines") == manifest.pipelines)
    }

    @Test func noDatabaseNeedsJSONLinesAndSomethingToScan() throws {
        let binary = try #require(ScanRepo.binary, "build logdx first (swift build)")
        let scratch = ScratchFolder()
        let quiet = try ChildProcess.run(binary, ["scan", "--no-db", scratch.path], directory: scratch.path)
        #expect(quiet.status != 0 && quiet.stderr.contains("--no-db records nothing, so it needs --jsonl"), "\(quiet.stderr)")
        let nothing = try ChildProcess.run(binary, ["scan"], directory: scratch.path)
        #expect(nothing.status != 0 && nothing.stderr.contains("--paths-from"), "\(nothing.stderr)")
        let unreadable = try ChildProcess.run(binary, ["scan", "--paths-from", scratch.path + "/list.txt", "--no-db", "--jsonl"])
        #expect(unreadable.status != 0 && unreadable.stderr.contains("list.txt: cannot open it"), "\(unreadable.stderr)")
    }

    @Test func aReportFileRendersAsTheDatabaseItCameFrom() throws {
        let binary = try #require(ScanRepo.binary, "build logdx first (swift build)")
        let scratch = ScratchFolder()
        let logs = scratch.path + "/logs", db = scratch.path + "/logdx.sqlite", file = scratch.path + "/report.json"
        _ = try ScanRepo.generate(into: logs, scale: 0.2)
        _ = try PipelineScanner.scan(logs, db: db)
        let json = try ChildProcess.run(binary, ["report", "--db", db, "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        try Data(json.stdout.utf8).write(to: URL(fileURLWithPath: file))

        // Decoded and encoded again, the report is the same bytes: nothing is dropped or added.
        let again = try ChildProcess.run(binary, ["report", "--from", file, "--format", "json"])
        #expect(again.status == 0 && again.stdout == json.stdout, "\(again.stderr)")
        for format in ["text", "html"] {
            let fromDatabase = try ChildProcess.run(binary, ["report", "--db", db, "--format", format])
            let fromFile = try ChildProcess.run(binary, ["report", "--from", file, "--format", format])
            #expect(fromFile.status == 0, "\(fromFile.stderr)")
            // Only the generation time (in the HTML) differs between the two runs.
            #expect(strip(fromFile.stdout) == strip(fromDatabase.stdout), "\(format) from the file differs from the database's")
        }

        scratch.write("broken.json", #"{"generated_at": "2026-11-20T00:00:00Z", "totals": {}}"#)
        let broken = try ChildProcess.run(binary, ["report", "--from", scratch.path + "/broken.json"])
        #expect(broken.status == 2 && broken.stderr.contains("broken.json: not a report (no `rules_versions`"), "\(broken.stderr)")
        let withSince = try ChildProcess.run(binary, ["report", "--from", file, "--since", "2026-10-01"])
        #expect(withSince.status != 0 && withSince.stderr.contains("--since filters a database"), "\(withSince.stderr)")
    }

    private func strip(_ text: String) -> String {
        text.replacing(/generated \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/, with: "generated TIME")
    }

    @Test func clusterSignaturesMinesAsTheReportDoes() throws {
        let binary = try #require(ScanRepo.binary, "build logdx first (swift build)")
        let lines = [
            "connection to db-primary lost after <NUM> ms",
            "permission denied writing <PATH>",
            "connection to db-replica lost after <NUM> ms",
            "connection reset by peer during handshake <NUM>",
        ]
        let input = try lines.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }.joined(separator: "\n") + "\n"
        let mined = try ChildProcess.run(binary, ["report", "--cluster-signatures", "-"], stdin: Data(input.utf8))
        #expect(mined.status == 0, "\(mined.stderr)")
        var miner = TemplateMiner()
        let ids = lines.map { miner.add($0) }
        let expected = ids.map { #"{"cluster":\#($0),"template":"\#(miner.clusters[$0].template)"}"# }
        // The first line's cluster is reported with the template it ends with, widened by the third.
        #expect(mined.stdout.split(separator: "\n").map(String.init) == expected)
        #expect(expected[0].contains("connection to <*> lost"))

        let bad = try ChildProcess.run(binary, ["report", "--cluster-signatures", "-"], stdin: Data("not json\n".utf8))
        #expect(bad.status == 2 && bad.stderr.contains("-:1: not a JSON string"), "\(bad.stderr)")
    }
}
