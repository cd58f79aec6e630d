import Foundation
import PCRE2
import LogDxConfig
import LogDxDiagnose
import LogDxModel
import LogDxReport
import LogDxRules

/// Proves the rule set against its own examples and fixtures, SwiftLint-style: every event
/// definition's examples must match and its counterexamples must not; every rule needs a fixture
/// that fires it and a near miss that does not; pipeline fixtures must produce what their
/// `expect.yaml` says; every firing case must render exactly as its golden file; and the green
/// corpus (`Fixtures/green/`, passing jobs) must draw no error-severity diagnosis.
public struct RuleTester {
    public let rules: RuleSet
    /// The `Fixtures/` folder; `nil` checks only the event examples.
    public let fixtures: String?
    /// Rewrite golden files instead of comparing (review the diff afterwards).
    public var record: Bool
    /// Limit fixture cases (and golden recording) to these rules; event examples and the green
    /// corpus are always checked. Empty means every rule and every pipeline fixture.
    public var only: Set<String> = []

    public struct Report: Sendable {
        public var checks = 0
        public var failures: [String] = []
        public var recorded: [String] = []
        public var passed: Bool { failures.isEmpty }
    }

    public init(rules: RuleSet, fixtures: String?, record: Bool = false) {
        self.rules = rules
        self.fixtures = fixtures
        self.record = record
    }

    public func run() -> Report {
        var report = Report()
        checkExamples(&report)
        guard let fixtures else { return report }
        let diagnoser = Diagnoser(rules: rules)
        var firing: [String: Int] = [:]
        var quiet: [String: Int] = [:]
        let selected = rules.rules.filter { only.isEmpty || only.contains($0.id) }
        for rule in selected {
            let folder = "\(fixtures)/rules/\(rule.ecosystem)/\(rule.id)"
            for name in Self.caseNames(in: folder) {
                let path = "\(folder)/\(name)"
                let mustFire = !name.hasPrefix("quiet")
                guard let analysis = analyse(path, diagnoser, &report) else { continue }
                report.checks += 1
                let fired = Self.firedRules(analysis).contains(rule.id)
                if mustFire {
                    firing[rule.id, default: 0] += 1
                    if !fired { report.failures.append("\(path): rule \(rule.id) must fire here but did not") }
                    compareGolden(analysis, golden: "\(path).golden", &report)
                } else {
                    quiet[rule.id, default: 0] += 1
                    if fired { report.failures.append("\(path): rule \(rule.id) must not fire on this near miss, but it did") }
                }
            }
        }
        checkPipelines(fixtures, diagnoser, &firing, &quiet, &report)
        checkGreenCorpus(fixtures, diagnoser, &report)
        for rule in selected {
            if firing[rule.id, default: 0] == 0 {
                report.failures.append("\(rule.file): rule \(rule.id) has no fixture that fires it (add one under \(fixtures)/rules/\(rule.ecosystem)/\(rule.id)/)")
            }
            if quiet[rule.id, default: 0] == 0 {
                report.failures.append("\(rule.file): rule \(rule.id) has no near-miss fixture (add a quiet-*.log under \(fixtures)/rules/\(rule.ecosystem)/\(rule.id)/)")
            }
        }
        return report
    }

    private func checkExamples(_ report: inout Report) {
        let scratch = MatchScratch()
        for definition in rules.events {
            for example in definition.examples {
                report.checks += 1
                if case .matched = definition.pattern.firstMatch(in: example, scratch: scratch) {
                    if !definition.literals.isEmpty && !definition.literals.contains(where: { example.lowercased().contains($0) }) {
                        report.failures.append("\(definition.file): event '\(definition.id)': the prefilter literals \(definition.literals) miss the example '\(example)'; set `literals:` explicitly")
                    }
                } else {
                    report.failures.append("\(definition.file): event '\(definition.id)' does not match its example '\(example)'")
                }
            }
            for counter in definition.counterexamples {
                report.checks += 1
                if case .matched = definition.pattern.firstMatch(in: counter, scratch: scratch) {
                    report.failures.append("\(definition.file): event '\(definition.id)' matches its counterexample '\(counter)'")
                }
            }
        }
    }

    private func checkPipelines(
        _ fixtures: String, _ diagnoser: Diagnoser, _ firing: inout [String: Int], _ quiet: inout [String: Int], _ report: inout Report
    ) {
        let root = "\(fixtures)/pipelines"
        for name in Self.caseNames(in: root) {
            let folder = "\(root)/\(name)"
            let expectFile = "\(folder)/expect.yaml"
            guard FileManager.default.fileExists(atPath: expectFile) else {
                report.failures.append("\(folder): a pipeline fixture needs an expect.yaml")
                continue
            }
            let expectation: FixtureExpectation
            do {
                expectation = try FixtureExpectation.load(expectFile)
            } catch {
                report.failures.append(error.description)
                continue
            }
            var config: CIConfig?
            if let path = expectation.config {
                do {
                    config = try CIConfig.load(path: path)
                } catch {
                    report.failures.append("\(expectFile): config: \(error.description)")
                    continue
                }
            }
            guard let analysis = analyse(folder, diagnoser, &report, config: config) else { continue }
            report.checks += 1
            let fired = Self.firedRules(analysis)
            for id in expectation.patched {
                let diagnosis = analysis.diagnoses.first { $0.rule == id }
                if diagnosis?.fixes.contains(where: { $0.patch != nil }) != true {
                    report.failures.append("\(folder): rule \(id) must propose a patch to \(expectation.config ?? "the config"), but \(diagnosis == nil ? "it did not fire" : "no fix has one")")
                }
            }
            if let first = expectation.first {
                firing[first, default: 0] += 1
                let actual = analysis.diagnoses.first?.rule ?? "nothing"
                if actual != first { report.failures.append("\(folder): the first diagnosis must be \(first), but it is \(actual)") }
            }
            for id in expectation.fires {
                firing[id, default: 0] += 1
                if !fired.contains(id) { report.failures.append("\(folder): rule \(id) must fire here but did not") }
            }
            for id in expectation.quiet {
                quiet[id, default: 0] += 1
                if fired.contains(id) { report.failures.append("\(folder): rule \(id) must not fire here, but it did") }
            }
            if let limit = expectation.maxSeverity {
                let tooSevere = analysis.diagnoses.filter { d in limit.map { d.severity < $0 } ?? true }
                if !tooSevere.isEmpty {
                    report.failures.append("\(folder): nothing above \(limit?.rawValue ?? "none") may fire, but got \(tooSevere.map { "\($0.severity.rawValue) \($0.rule)" }.joined(separator: ", "))")
                }
            }
            // A filtered run leaves the pipelines' goldens to the full run: other rules shape them.
            if only.isEmpty {
                compareGolden(analysis, golden: "\(folder)/expected.golden", &report)
            }
        }
    }

    /// Logs of passing jobs, in every format and ecosystem: an error diagnosis here is a false alarm.
    private func checkGreenCorpus(_ fixtures: String, _ diagnoser: Diagnoser, _ report: inout Report) {
        let root = "\(fixtures)/green"
        for name in Self.caseNames(in: root) {
            let path = "\(root)/\(name)"
            guard let analysis = analyse(path, diagnoser, &report) else { continue }
            report.checks += 1
            let errors = analysis.diagnoses.filter { $0.severity == .error }
            if !errors.isEmpty {
                report.failures.append("\(path): a passing job drew error diagnoses: \(errors.map { "\($0.rule) (\($0.title))" }.joined(separator: "; "))")
            }
        }
    }

    private func analyse(_ path: String, _ diagnoser: Diagnoser, _ report: inout Report, config: CIConfig? = nil) -> Analysis? {
        do {
            return try diagnoser.diagnose([path], config: config)
        } catch {
            report.failures.append("\(path): cannot be analysed: \(error)")
            return nil
        }
    }

    private func compareGolden(_ analysis: Analysis, golden: String, _ report: inout Report) {
        let actual = TextRenderer(color: false).render(analysis)
        if record {
            try? actual.write(toFile: golden, atomically: true, encoding: .utf8)
            report.recorded.append(golden)
            return
        }
        report.checks += 1
        guard let expected = try? String(contentsOfFile: golden, encoding: .utf8) else {
            report.failures.append("\(golden): golden output missing; run `make record` (LOGDX_RECORD=1) and review it")
            return
        }
        if expected != actual {
            report.failures.append("\(golden): output differs from the golden file\n" + Self.firstDifference(expected, actual))
        }
    }

    package static func firstDifference(_ expected: String, _ actual: String) -> String {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(e.count, a.count) {
            let el = i < e.count ? String(e[i]) : "<end>"
            let al = i < a.count ? String(a[i]) : "<end>"
            if el != al { return "    line \(i + 1)\n    expected: \(el)\n    actual:   \(al)" }
        }
        return ""
    }

    /// Every rule that produced a diagnosis, including those folded in as symptoms.
    package static func firedRules(_ analysis: Analysis) -> Set<String> {
        var ids: Set<String> = []
        func walk(_ list: [Diagnosis]) {
            for d in list {
                ids.insert(d.rule)
                walk(d.symptoms)
            }
        }
        walk(analysis.diagnoses)
        return ids
    }

    /// The test cases in a folder: log files and pipeline folders, not golden or expectation files.
    public static func caseNames(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { !$0.hasPrefix(".") && !$0.hasSuffix(".golden") && !$0.hasSuffix(".yaml") && !$0.hasSuffix(".md") }.sorted()
    }
}
