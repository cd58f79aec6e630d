import Foundation
import LogDx
import Testing

/// Issue 11, defect 3: a failing job that prints a secret of every format the redactor knows, run
/// through every way text leaves logdx — each `diagnose` format, `events`, `scan` (its `--jsonl`
/// and the raw bytes of its database file) and each `report` format. No planted secret, nor its
/// first or last 12 characters, may appear anywhere, while the input holds them all.
@Suite struct SecretLeakTests {
    static let root = CLIRunner.root

    func run(_ arguments: [String], in directory: String) throws -> CLIRunner.Result {
        try CLIRunner.run(arguments, environment: ["NO_COLOR": "1", "LOGDX_RULES_DIR": Self.root + "/Rules"], directory: directory)
    }

    static func plantedLog() throws -> PlantedSecrets {
        let template = try String(contentsOfFile: root + "/Fixtures/secrets/deploy-every-format.log.template", encoding: .utf8)
        return try PlantedSecrets(template: template)
    }

    @Test func theFixturePlantsEveryFormat() throws {
        let log = try Self.plantedLog()
        #expect(Set(log.planted.map(\.format)) == Set(SecretFormat.all.map(\.id)))
    }

    @Test func noPlantedSecretReachesAnyOutputOrTheDatabase() throws {
        let log = try Self.plantedLog()
        let folder = NSTemporaryDirectory() + "logdx-secret-leak-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let pipeline = folder + "/pipelines/rdf-portal-2041"
        try FileManager.default.createDirectory(atPath: pipeline, withIntermediateDirectories: true)
        let input = pipeline + "/deploy.log"
        try log.text.write(toFile: input, atomically: true, encoding: .utf8)
        // The input must hold every secret, or the test proves nothing.
        let written = try String(contentsOfFile: input, encoding: .utf8)
        #expect(log.distinctive.allSatisfy { written.contains($0) })

        var outputs: [String: String] = [:]
        // Excerpts long enough to show every line of the job: each line is put to the test.
        for format in ["text", "json", "markdown", "sarif", "junit", "codequality", "github"] {
            let result = try run(["diagnose", "--format", format, "--excerpt-lines", "1000", input], in: folder)
            #expect(result.status == 0, "diagnose --format \(format): \(result.stderr)")
            outputs["diagnose --format \(format)"] = result.stdout + result.stderr
        }
        // The excerpt shows the job's error-looking lines, most of which carry a planted secret.
        let json = try #require(outputs["diagnose --format json"])
        let masks = json.components(separatedBy: SecretRedactor.mask).count - 1
        #expect(masks > 40, "only \(masks) masks: the outputs must show the lines that held secrets")

        let events = try run(["events", input], in: folder)
        #expect(events.status == 0)
        #expect(events.stdout.split(separator: "\n").count > 20)
        outputs["events"] = events.stdout + events.stderr

        let scan = try run(["scan", "--db", "scan.sqlite", "--jsonl", "--excerpt-lines", "1000", "--no-progress", "pipelines"], in: folder)
        #expect(scan.status == 0, "scan: \(scan.stderr)")
        #expect(scan.stdout.contains("rdf-portal-2041"))
        outputs["scan --jsonl"] = scan.stdout + scan.stderr
        // The database file's own bytes (and any journal beside it), not what a query shows.
        let databaseFiles = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("scan.sqlite") }
        #expect(databaseFiles.contains("scan.sqlite"))
        for file in databaseFiles {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + file))
            outputs["database file \(file)"] = String(decoding: bytes, as: UTF8.self)
        }
        #expect(outputs["database file scan.sqlite"]?.contains(SecretRedactor.mask) == true)

        for format in ["text", "json", "html"] {
            let report = try run(["report", "--db", "scan.sqlite", "--format", format], in: folder)
            #expect(report.status == 0, "report --format \(format): \(report.stderr)")
            outputs["report --format \(format)"] = report.stdout + report.stderr
        }

        for (name, output) in outputs.sorted(by: { $0.key < $1.key }) {
            if let leak = log.leak(in: output) {
                Issue.record("\(name) shows a planted \(leak.format) secret: \(leak.piece)")
            }
        }
    }
}
