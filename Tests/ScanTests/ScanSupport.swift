import Foundation
import GRDB
import LogDx
import TestSupport
@testable import LogDxScan

/// Paths into the repository and helpers shared by the scan tests.
enum ScanRepo {
    static let root = RepositoryPaths.root
    static let generator = root + "/Tests/Tools/generate_pipelines.py"

    static let rules = RepositoryPaths.builtInRules

    /// The built `logdx`: `make test` builds `.build/debug/logdx`, a scan-only build
    /// `.build-scan/debug/logdx`; when both exist the newer one is the one just built.
    static var binary: String? {
        let candidates = [root + "/.build/debug/logdx", root + "/.build-scan/debug/logdx"].filter {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        func modified(_ path: String) -> Date {
            ((try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date) ?? .distantPast
        }
        return candidates.max { modified($0) < modified($1) }
    }

    /// Writes generated pipelines into `folder` and returns their manifest.
    static func generate(into folder: String, scale: Double = 1, seed: Int = 7) throws -> Manifest {
        let result = try run("/usr/bin/env", ["python3", generator, folder, "--seed", String(seed), "--scale", String(scale)])
        guard result.status == 0 else { throw Failure("generate_pipelines.py failed: \(result.stderr)") }
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/expected.json"))
        return try JSONDecoder().decode(Manifest.self, from: data)
    }

    struct Manifest: Decodable {
        var pipelines: Int
        var causes: [String: Int]
        var unknown: [String: Int]
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Runs a program to completion, capturing its output.
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let result = try ChildProcess.run(executable, arguments)
        return (result.status, result.stdout, result.stderr)
    }

    static func count(_ path: String, _ sql: String) throws -> Int {
        let queue = try DatabaseQueue(path: path)
        return try queue.read { try Int.fetchOne($0, sql: sql) ?? -1 }
    }
}

extension ScanRepo {
    /// The analysis with its diagnoses repeated `times` times, each copy's titles numbered so
    /// that an order mix-up shows.
    static func copying(_ analysis: Analysis, times: Int) -> Analysis {
        var copied = analysis
        copied.diagnoses = (0..<times).flatMap { copy in
            analysis.diagnoses.map { diagnosis in
                var numbered = diagnosis
                numbered.title += " #\(copy)"
                return numbered
            }
        }
        return copied
    }
}

extension PipelineScanner {
    /// Plans and scans `folder` in-process with the built-in rules.
    static func scan(_ folder: String, db: String, workers: Int = 2) throws -> PipelineScanner.Summary {
        var options = PipelineScanner.Options()
        options.workers = workers
        let scanner = PipelineScanner(rules: ScanRepo.rules, database: try ScanDatabase(path: db), options: options)
        return try scanner.run(try ScanPlan.make(paths: [folder]), paths: [folder])
    }
}
