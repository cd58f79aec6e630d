import ArgumentParser
import Foundation
import LogDx

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List, check and test the diagnosis rules.",
        subcommands: [List.self, Explain.self, Lint.self, Test.self, ExportPatterns.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the rules, grouped by ecosystem.")

        @Option(name: .shortAndLong, help: "Output format: text or json.")
        var format: ListFormat = .text

        @OptionGroup var rules: RuleOptions

        enum ListFormat: String, ExpressibleByArgument { case text, json }

        /// The summary's first clause, short enough for one terminal line.
        static func headline(_ summary: String, limit: Int = 72) -> String {
            // The first clause ends at ". ", ": " or "; " (a period inside `go.mod` does not end it). An
            // aside in parentheses is dropped, not cut at: "The module (or go.work) declares…" must
            // not become "The module".
            var clause = withoutAsides(summary)
            for separator in [". ", ": ", "; "] {
                if let range = clause.range(of: separator) { clause = String(clause[..<range.lowerBound]) }
            }
            if clause.hasSuffix(".") { clause.removeLast() }
            guard clause.count > limit else { return clause }
            let cut = clause.prefix(limit - 1)
            return String(cut[..<(cut.lastIndex(of: " ") ?? cut.endIndex)]) + " …"
        }

        /// The text without its parenthesised asides (nested ones too) and the space before each;
        /// parentheses inside `code` are text, and an unclosed "(" keeps the rest as it is.
        static func withoutAsides(_ text: String) -> String {
            var kept = ""
            var depth = 0
            var pending = ""
            var inCode = false
            for character in text {
                if character == "`" { inCode.toggle() }
                switch character {
                case "(" where !inCode:
                    pending.append(character)
                    depth += 1
                case ")" where depth > 0 && !inCode:
                    depth -= 1
                    pending.append(character)
                    if depth == 0 {
                        if kept.hasSuffix(" ") { kept.removeLast() }
                        pending = ""
                    }
                default:
                    if depth > 0 { pending.append(character) } else { kept.append(character) }
                }
            }
            return kept + pending
        }

        func run() throws {
            let set = try rules.load()
            let sorted = set.rules.sorted { ($0.ecosystem, $0.id) < ($1.ecosystem, $1.id) }
            var output = BufferedLines(.output)
            switch format {
            case .json:
                let objects = sorted.map { rule in
                    ["id": rule.id, "ecosystem": rule.ecosystem, "severity": rule.severity.rawValue,
                     "title": rule.title.source, "summary": rule.summary, "file": rule.file]
                }
                let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
                try output.append(String(decoding: data, as: UTF8.self))
            case .text:
                let groups = Dictionary(grouping: sorted, by: \.ecosystem)
                for (ecosystem, list) in groups.sorted(by: { $0.key < $1.key }) {
                    try output.append("\(ecosystem) (\(list.count))")
                    let width = list.map(\.id.count).max() ?? 0
                    for rule in list {
                        try output.append("  \(rule.id.padding(toLength: width, withPad: " ", startingAt: 0))  \(rule.severity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0))  \(Self.headline(rule.summary))")
                    }
                }
                let ecosystems = groups.count == 1 ? "1 ecosystem" : "\(groups.count) ecosystems"
                try output.append("\(set.rules.count) rules in \(ecosystems), \(set.events.count) event definitions.")
            }
            try output.flush()
        }
    }

    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "explain",
            abstract: "Explain a rule: what it detects, the events it joins, an example line, the fix, docs.")

        @Argument(help: ArgumentHelp("The rule id (see `logdx rules list`).", valueName: "id"))
        var id: String

        @OptionGroup var rules: RuleOptions

        /// The text without its parenthesised asides (nested ones too) and the space before each;
        /// parentheses inside `code` are text, and an unclosed "(" keeps the rest as it is.
        static func withoutAsides(_ text: String) -> String {
            var kept = ""
            var depth = 0
            var pending = ""
            var inCode = false
            for character in text {
                if character == "`" { inCode.toggle() }
                switch character {
                case "(" where !inCode:
                    pending.append(character)
                    depth += 1
                case ")" where depth > 0 && !inCode:
                    depth -= 1
                    pending.append(character)
                    if depth == 0 {
                        if kept.hasSuffix(" ") { kept.removeLast() }
                        pending = ""
                    }
                default:
                    if depth > 0 { pending.append(character) } else { kept.append(character) }
                }
            }
            return kept + pending
        }

        func run() throws {
            let set = try rules.load()
            guard let rule = set.rules.first(where: { $0.id == id }) else {
                let closest = set.rules.map(\.id).min { editDistance($0, id) < editDistance($1, id) }
                throw CLIError("no rule '\(id)'" + (closest.map { "; did you mean '\($0)'?" } ?? "") + " See `logdx rules list`.",
                               exit: ExitStatus.usageOrInput)
            }
            var cases: [String] = []
            if let fixtures = RuleLocator.fixturesDirectory() {
                cases = RuleTester.caseNames(in: fixtures + "/rules/\(rule.ecosystem)/\(rule.id)")
            }
            try StandardStream.output.write(RuleExplanation(rule: rule, rules: set, fixtureCases: cases).render())
        }
    }

    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lint",
            abstract: "Check rule and event files against the JSON Schemas in Rules/schema/, then as a set.",
            discussion: """
            Reports `file:line: error|warning: message` for every problem: schema violations (unknown \
            keys, wrong types), what only the whole set shows (unknown event kinds, unbound \
            variables, duplicate ids), and warnings (patterns without a prefilter literal, events no \
            rule uses, rules without docs). Exits 1 when there are errors. Editors can use the same \
            schemas: add `# yaml-language-server: $schema=../schema/rule.schema.json` to a rule file.
            """)

        @OptionGroup var rules: RuleOptions

        func run() throws {
            let sources = try rules.sources
            // The schemas ship with the built-in rules, also when --no-builtin-rules leaves those out.
            let search = RuleLocator.search()
            guard case .found(let builtIn) = search else {
                throw CLIError("rules lint needs the schemas of the built-in rules: " + (RuleLocator.explain(search) ?? ""), exit: ExitStatus.invalidRules)
            }
            let linter = RuleLinter(sources: sources, schemas: builtIn)
            let (findings, files) = try linter.lint()
            var output = BufferedLines(.output)
            for finding in findings { try output.append("\(finding)") }
            let errors = findings.filter { $0.level == .error }.count
            let warnings = findings.count - errors
            try output.append("\(files) files checked: \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
            try output.flush()
            if errors > 0 { throw ExitStatus.findings }
        }
    }

    struct ExportPatterns: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export-patterns",
            abstract: "Print every line event pattern, one per line, for `rg -f` or `pcre2grep -f` (benchmarks).")

        @OptionGroup var rules: RuleOptions

        func run() throws {
            var output = BufferedLines(.output)
            for line in PatternExport.lines(try rules.load()) { try output.append(line) }
            try output.flush()
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Run every rule against its fixtures and every event definition against its examples.",
            discussion: """
            Each rule needs, under Fixtures/rules/<ecosystem>/<rule-id>/, at least one case that fires \
            it (a log file or a folder of job logs) and one near miss named quiet-*. Pipeline fixtures \
            under Fixtures/pipelines/ state what they must produce in expect.yaml. Firing cases are \
            compared with their .golden files; set LOGDX_RECORD=1 to rewrite them, then review the diff.
            """)

        @Option(help: ArgumentHelp("The Fixtures folder (default: the installation's or the checkout's, or the one beside LOGDX_RULES_DIR).", valueName: "dir"))
        var fixtures: String?

        @Option(name: .customLong("rule"), help: ArgumentHelp(
            "Test (and with LOGDX_RECORD=1 record) only this rule's fixtures; repeatable. Pipeline fixtures are then skipped.",
            valueName: "id"))
        var only: [String] = []

        @OptionGroup var rules: RuleOptions

        /// The text without its parenthesised asides (nested ones too) and the space before each;
        /// parentheses inside `code` are text, and an unclosed "(" keeps the rest as it is.
        static func withoutAsides(_ text: String) -> String {
            var kept = ""
            var depth = 0
            var pending = ""
            var inCode = false
            for character in text {
                if character == "`" { inCode.toggle() }
                switch character {
                case "(" where !inCode:
                    pending.append(character)
                    depth += 1
                case ")" where depth > 0 && !inCode:
                    depth -= 1
                    pending.append(character)
                    if depth == 0 {
                        if kept.hasSuffix(" ") { kept.removeLast() }
                        pending = ""
                    }
                default:
                    if depth > 0 { pending.append(character) } else { kept.append(character) }
                }
            }
            return kept + pending
        }

        func run() throws {
            let set = try rules.load()
            if let fixtures, !FileManager.default.fileExists(atPath: fixtures) {
                throw CLIError("--fixtures \(fixtures): no such folder.", exit: ExitStatus.usageOrInput)
            }
            let folder = fixtures ?? RuleLocator.fixturesDirectory()
            let existing = folder.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
            let record = ProcessInfo.processInfo.environment["LOGDX_RECORD"].map { !$0.isEmpty && $0 != "0" } ?? false
            if let unknown = only.first(where: { id in !set.rules.contains { $0.id == id } }) {
                throw CLIError("no rule '\(unknown)'; see `logdx rules list`.", exit: ExitStatus.usageOrInput)
            }
            var tester = RuleTester(rules: set, fixtures: existing, record: record)
            tester.only = Set(only)
            let report = tester.run()
            var output = BufferedLines(.output)
            if existing == nil {
                try output.append("logdx: no Fixtures folder found; checked the event examples only (pass --fixtures DIR).")
            }
            for path in report.recorded { try output.append("recorded \(path)") }
            for failure in report.failures { try output.append("FAIL \(failure)") }
            try output.append("\(report.checks - report.failures.count) passed, \(report.failures.count) failed")
            try output.flush()
            if !report.passed { throw ExitStatus.findings }
        }
    }
}
