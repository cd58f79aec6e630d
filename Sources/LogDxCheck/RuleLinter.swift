import Foundation
import Yams
import LogDxCorrelate
import LogDxRules

/// `logdx rules lint`: checks rule and event files against the JSON Schemas shipped in
/// `Rules/schema/` (the same ones editors use), then loads them as a set for the checks a schema
/// cannot make, and adds the warnings of a careful reviewer.
public struct RuleLinter {
    public struct Finding: Sendable, CustomStringConvertible {
        public enum Level: String, Sendable { case error, warning }
        public var level: Level
        public var file: String
        public var line: Int?
        public var message: String

        public var description: String {
            "\(file)\(line.map { ":\($0)" } ?? ""): \(level.rawValue): \(message)"
        }
    }

    public let sources: [RuleSource]
    /// Where `schema/rule.schema.json` and `schema/events.schema.json` are: the built-in set, also
    /// when --no-builtin-rules leaves its rules out.
    public let schemas: RuleSource

    public init(sources: [RuleSource], schemas: RuleSource) {
        self.sources = sources
        self.schemas = schemas
    }

    public func lint() throws -> (findings: [Finding], files: Int) {
        let ruleSchema = try loadSchema("rule.schema.json")
        let eventSchema = try loadSchema("events.schema.json")
        var findings: [Finding] = []
        var files = 0
        for source in sources {
            for file in source.yamlFiles() {
                files += 1
                let root: YAMLValue
                do {
                    root = try RuleSet.document(file)
                } catch {
                    findings.append(Finding(level: .error, file: file.path, line: error.line, message: error.message))
                    continue
                }
                let isEvents = root.child("events") != nil
                let schema = JSONSchemaValidator(schema: isEvents ? eventSchema : ruleSchema)
                for problem in schema.validate(JSONValue(yaml: root.node)) {
                    findings.append(Finding(level: .error, file: file.path, line: problem.line, message: "\(problem.path): \(problem.message)"))
                }
                if isEvents, let definitions = try? EventDefinitionParser.parse(root) {
                    findings += Self.prefilterWarnings(definitions)
                }
            }
        }
        do {
            let set = try RuleSet.load(from: sources)
            findings += warnings(set)
        } catch {
            for problem in error.errors {
                // The schema already said it; the loader's wording adds the rule name and a fix.
                findings.append(Finding(level: .error, file: problem.file, line: problem.line,
                                        message: (problem.rule.map { "rule '\($0)': " } ?? "") + problem.message + (problem.hint.map { " (fix: \($0))" } ?? "")))
            }
        }
        var seen: Set<String> = []
        findings = findings.filter { seen.insert($0.description).inserted }
        findings.sort { ($0.file, $0.line ?? 0) < ($1.file, $1.line ?? 0) }
        return (findings, files)
    }

    static func prefilterWarnings(_ definitions: [EventDefinition]) -> [Finding] {
        definitions.filter { $0.literals.isEmpty && $0.target == .line }.map { definition in
            Finding(level: .warning, file: definition.file, line: definition.line,
                    message: "event '\(definition.id)' has no literal the prefilter can use, so its pattern runs on every line"
                        + (definition.whenCommand != nil || definition.whenSection != nil ? " its `when:` allows" : "") + "; add `literals:`")
        }
    }

    private func warnings(_ set: RuleSet) -> [Finding] {
        var findings: [Finding] = []
        let usedKinds = Set(set.rules.flatMap { ($0.match + $0.absent).flatMap(\.kinds) })
            .union(set.events.flatMap { $0.inherit.map(\.fromKind) })
            .union([RuleMatcher.projectDirectoryKind])
        for definition in set.events where !usedKinds.contains(definition.kind) {
            findings.append(Finding(level: .warning, file: definition.file, line: definition.line,
                                    message: "event kind '\(definition.kind)' (from '\(definition.id)') is used by no rule"))
        }
        for rule in set.rules {
            if rule.docs.isEmpty {
                findings.append(Finding(level: .warning, file: rule.file, line: rule.line, message: "rule '\(rule.id)' links no documentation (`docs:`)"))
            }
            if rule.title.isConstant {
                findings.append(Finding(level: .warning, file: rule.file, line: rule.line,
                                        message: "rule '\(rule.id)': the title names nothing from the log; use {{binding.field}} so it says which package, job or file"))
            }
        }
        return findings
    }

    private func loadSchema(_ name: String) throws -> JSONValue {
        guard let data = schemas.file("schema/" + name)?.data() else {
            throw RuleError(file: schemas.description + "/schema/" + name, message: "the JSON Schema is missing",
                            hint: "unset LOGDX_RULES_DIR to use the built-in schemas, or point it at a Rules folder that has schema/")
        }
        return JSONValue(foundation: try JSONSerialization.jsonObject(with: data))
    }
}
