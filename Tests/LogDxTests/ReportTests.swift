import Foundation
import Testing
@testable import LogDx

/// Reporters, SwiftLint-style: each renders the seed analysis to one golden file; the JSON one is
/// also checked against the published schema.
@Suite struct ReportTests {
    static let goldenDirectory = Repo.root + "/Tests/LogDxTests/Golden"

    func seedAnalysis() throws -> Analysis {
        // Paths relative to the repository keep the golden files independent of where it lives
        // (changing the working directory instead would race with tests running in parallel).
        var analysis = try diagnose([Repo.seed])
        let prefix = Repo.root + "/"
        func relative(_ path: String) -> String { path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path }
        func relativise(_ d: inout Diagnosis) {
            for i in d.evidence.indices { d.evidence[i].source = relative(d.evidence[i].source) }
            for i in d.symptoms.indices { relativise(&d.symptoms[i]) }
        }
        for i in analysis.pipeline.jobs.indices { analysis.pipeline.jobs[i].source = relative(analysis.pipeline.jobs[i].source) }
        for i in analysis.diagnoses.indices { relativise(&analysis.diagnoses[i]) }
        return analysis
    }

    func compare(_ actual: String, golden name: String) throws {
        let path = Self.goldenDirectory + "/" + name
        if ProcessInfo.processInfo.environment["LOGDX_RECORD"].map({ !$0.isEmpty && $0 != "0" }) == true {
            try FileManager.default.createDirectory(atPath: Self.goldenDirectory, withIntermediateDirectories: true)
            try actual.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        #expect(actual == expected, "\(name) differs from its golden file:\n\(RuleTester.firstDifference(expected, actual))")
    }

    @Test(arguments: [(OutputFormat.text, "seed.txt"), (.json, "seed.json"), (.markdown, "seed.md")])
    func goldenOutput(format: OutputFormat, golden: String) throws {
        try compare(format.renderer(color: false).render(try seedAnalysis()), golden: golden)
    }

    @Test func colourOnlyWhenAsked() throws {
        let analysis = try seedAnalysis()
        #expect(TextRenderer(color: true).render(analysis).contains("\u{1b}[1;31mERROR"))
        #expect(!TextRenderer(color: false).render(analysis).contains("\u{1b}"))
    }

    @Test func jsonFollowsTheSchema() throws {
        let schemaData = try Data(contentsOf: URL(fileURLWithPath: Repo.root + "/Sources/LogDx/Report/diagnosis-v1.schema.json"))
        let schema = try JSONSerialization.jsonObject(with: schemaData)
        for path in ["seed-uv-system-python", "seed-uv-venv-fixed", "seed-uv-github"] {
            let analysis = try diagnose([Repo.fixtures + "/pipelines/" + path])
            let document = try JSONSerialization.jsonObject(with: Data(JSONRenderer().render(analysis).utf8))
            let problems = SchemaChecker(root: schema).check(document, against: schema, at: "$")
            #expect(problems.isEmpty, "\(path): \(problems.joined(separator: "; "))")
        }
    }

    @Test func theSchemaCheckerItselfRejectsWrongDocuments() throws {
        let schemaData = try Data(contentsOf: URL(fileURLWithPath: Repo.root + "/Sources/LogDx/Report/diagnosis-v1.schema.json"))
        let schema = try JSONSerialization.jsonObject(with: schemaData)
        let good = try JSONSerialization.jsonObject(with: Data(JSONRenderer().render(try seedAnalysis()).utf8)) as! [String: Any]
        var bad = good
        var diagnoses = bad["diagnoses"] as! [[String: Any]]
        diagnoses[0]["severity"] = "fatal"
        diagnoses[0].removeValue(forKey: "evidence")
        bad["diagnoses"] = diagnoses
        bad["extra"] = true
        let problems = SchemaChecker(root: schema).check(bad, against: schema, at: "$")
        #expect(problems.contains { $0.contains("$.diagnoses[0].severity") })
        #expect(problems.contains { $0.contains("missing 'evidence'") })
        #expect(problems.contains { $0.contains("unexpected 'extra'") })
    }

    @Test func seedJSONHasTheCrossJobRootCauseFirstWithEvidenceFromBothJobs() throws {
        let object = try JSONSerialization.jsonObject(with: Data(JSONRenderer().render(try seedAnalysis()).utf8)) as! [String: Any]
        #expect(object["schema_version"] as? String == "1.0")
        let pipeline = object["pipeline"] as! [String: Any]
        #expect(pipeline["format"] as? String == "gitlab-ci-local")
        let jobs = pipeline["jobs"] as! [[String: Any]]
        #expect(jobs.map { $0["name"] as! String } == ["uv-install", "test"])
        #expect(jobs.map { $0["status"] as! String } == ["success", "failed"])
        let first = (object["diagnoses"] as! [[String: Any]])[0]
        #expect(first["rule"] as? String == "python-packages-not-carried")
        #expect(first["severity"] as? String == "error")
        let evidenceJobs = Set((first["evidence"] as! [[String: Any]]).map { $0["job"] as! String })
        #expect(evidenceJobs == ["uv-install", "test"])
        let text = (first["title"] as! String) + (first["explanation"] as! String)
        for needle in ["rdflib", "uv-install", "test", "/usr/local", ".uv-cache"] {
            #expect(text.contains(needle), "the diagnosis must name \(needle)")
        }
    }
}

/// The subset of JSON Schema (2020-12) the diagnosis schema uses: type, const, enum, pattern-free
/// strings, required, properties, additionalProperties: false, items and local $ref.
struct SchemaChecker {
    let root: Any

    func check(_ value: Any, against schema: Any, at path: String) -> [String] {
        guard let schema = schema as? [String: Any] else { return [] }
        if let ref = schema["$ref"] as? String, ref.hasPrefix("#/") {
            var target: Any? = root
            for part in ref.dropFirst(2).split(separator: "/") { target = (target as? [String: Any])?[String(part)] }
            return check(value, against: target as Any, at: path)
        }
        var problems: [String] = []
        if let constant = schema["const"] as? String, value as? String != constant {
            problems.append("\(path): must be \(constant)")
        }
        if let options = schema["enum"] as? [String], !(value is String && options.contains(value as! String)) {
            problems.append("\(path): \(value) is not one of \(options)")
        }
        if let type = schema["type"] {
            let types = (type as? [String]) ?? [type as! String]
            if !types.contains(where: { Self.isType(value, $0) }) { problems.append("\(path): expected \(types)") }
        }
        if let object = value as? [String: Any] {
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                problems.append("\(path): missing '\(key)'")
            }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for (key, child) in object {
                if let childSchema = properties[key] {
                    problems += check(child, against: childSchema, at: "\(path).\(key)")
                } else if schema["additionalProperties"] as? Bool == false {
                    problems.append("\(path): unexpected '\(key)'")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] {
            for (index, item) in array.enumerated() { problems += check(item, against: items, at: "\(path)[\(index)]") }
        }
        return problems
    }

    static func isType(_ value: Any, _ type: String) -> Bool {
        switch type {
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        // Foundation on Linux bridges JSON numbers and booleans alike; the class tells them apart.
        case "integer": return value is Int && !String(describing: Swift.type(of: value)).contains("Boolean")
        case "null": return value is NSNull
        default: return true
        }
    }
}
