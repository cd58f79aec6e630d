import ArgumentParser
import Foundation
import LogDx

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List, check and test the diagnosis rules.",
        subcommands: [List.self, Test.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the rules, grouped by ecosystem.")

        @Option(name: .shortAndLong, help: "Output format: text or json.")
        var format: ListFormat = .text

        @OptionGroup var rules: RuleOptions

        enum ListFormat: String, ExpressibleByArgument { case text, json }

        /// The summary's first clause, short enough for one terminal line.
        static func headline(_ summary: String, limit: Int = 72) -> String {
            let clause = summary.prefix { $0 != "." && $0 != ":" && $0 != "(" }.trimmingCharacters(in: .whitespaces)
            guard clause.count > limit else { return clause }
            let cut = clause.prefix(limit - 1)
            return String(cut[..<(cut.lastIndex(of: " ") ?? cut.endIndex)]) + " …"
        }

        func run() throws {
            let set = try rules.load()
            let sorted = set.rules.sorted { ($0.ecosystem, $0.id) < ($1.ecosystem, $1.id) }
            switch format {
            case .json:
                let objects = sorted.map { rule in
                    ["id": rule.id, "ecosystem": rule.ecosystem, "severity": rule.severity.rawValue,
                     "title": rule.title.source, "summary": rule.summary, "file": rule.file]
                }
                let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
                print(String(decoding: data, as: UTF8.self))
            case .text:
                let groups = Dictionary(grouping: sorted, by: \.ecosystem)
                for ecosystem in groups.keys.sorted() {
                    let list = groups[ecosystem]!
                    print("\(ecosystem) (\(list.count))")
                    let width = list.map(\.id.count).max() ?? 0
                    for rule in list {
                        print("  \(rule.id.padding(toLength: width, withPad: " ", startingAt: 0))  \(rule.severity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0))  \(Self.headline(rule.summary))")
                    }
                }
                let ecosystems = groups.count == 1 ? "1 ecosystem" : "\(groups.count) ecosystems"
                print("\(set.rules.count) rules in \(ecosystems), \(set.events.count) event definitions.")
            }
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run every rule against its fixtures and every event definition against its examples.",
            discussion: """
            Each rule needs, under Fixtures/rules/<ecosystem>/<rule-id>/, at least one case that fires \
            it (a log file or a folder of job logs) and one near miss named quiet-*. Pipeline fixtures \
            under Fixtures/pipelines/ state what they must produce in expect.yaml. Firing cases are \
            compared with their .golden files; set LOGDX_RECORD=1 to rewrite them, then review the diff.
            """)

        @Option(help: ArgumentHelp("The Fixtures folder (default: the one next to the built-in rules).", valueName: "dir"))
        var fixtures: String?

        @Option(name: .customLong("rule"), help: ArgumentHelp(
            "Test (and with LOGDX_RECORD=1 record) only this rule's fixtures; repeatable. Pipeline fixtures are then skipped.",
            valueName: "id"))
        var only: [String] = []

        @OptionGroup var rules: RuleOptions

        func run() throws {
            let set = try rules.load()
            let folder = fixtures ?? RuleLocator.builtInDirectory().map { ($0 as NSString).deletingLastPathComponent + "/Fixtures" }
            let existing = folder.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
            let record = ProcessInfo.processInfo.environment["LOGDX_RECORD"].map { !$0.isEmpty && $0 != "0" } ?? false
            if let unknown = only.first(where: { id in !set.rules.contains { $0.id == id } }) {
                throw CLIError("no rule '\(unknown)'; see `logdx rules list`.", exit: ExitStatus.usageOrInput)
            }
            var tester = RuleTester(rules: set, fixtures: existing, record: record)
            tester.only = Set(only)
            let report = tester.run()
            if existing == nil {
                print("logdx: no Fixtures folder found; checked the event examples only (pass --fixtures DIR).")
            }
            for path in report.recorded { print("recorded \(path)") }
            for failure in report.failures { print("FAIL \(failure)") }
            print("\(report.checks - report.failures.count) passed, \(report.failures.count) failed")
            if !report.passed { throw ExitStatus.findings }
        }
    }
}
