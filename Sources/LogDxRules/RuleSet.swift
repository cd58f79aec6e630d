import Foundation
import Yams
import LogDxModel

/// The event definitions and diagnosis rules in force, loaded from rule sources (the built-in set,
/// rule folders) and checked as a whole: every kind a rule names exists, every variable a template
/// uses is bound.
public struct RuleSet: Sendable, Codable {
    public var events: [EventDefinition]
    public var rules: [Rule]
    /// Where the rules came from, in load order.
    public var sources: [RuleSource]

    /// Fields every event has, whatever its kind.
    public static let universalFields: Set<String> = ["job", "run", "stage", "line", "text", "kind", "log_format"]

    public init(events: [EventDefinition], rules: [Rule], sources: [RuleSource]) {
        self.events = events
        self.rules = rules
        self.sources = sources
    }

    /// Every kind some definition or the framing produces.
    public var knownKinds: Set<String> {
        Set(events.map(\.kind)).union(StructuralEvent.all).union(ConfigEventSchema.fields.keys)
    }

    /// The fields events of `kind` can carry.
    public func fields(of kind: String) -> Set<String> {
        fieldsByKind(only: [kind])[kind] ?? Self.universalFields
    }

    /// The fields of every kind (or of the `only` kinds), in one pass over the definitions:
    /// checking a rule set asks for fields hundreds of times.
    public func fieldsByKind(only wanted: Set<String>? = nil) -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        func add<Names: Sequence>(_ kind: String, _ names: Names) where Names.Element == String {
            guard wanted?.contains(kind) ?? true else { return }
            result[kind, default: Self.universalFields].formUnion(names)
        }
        for (kind, names) in StructuralEvent.fields { add(kind, names) }
        for (kind, names) in ConfigEventSchema.fields { add(kind, names) }
        for definition in events where wanted?.contains(definition.kind) ?? true { add(definition.kind, definition.fieldNames) }
        return result
    }

    /// Loads the rule folders, as `load(from: [.folder(…)])`.
    public static func load(from directories: [String]) throws(RuleLoadErrors) -> RuleSet {
        try load(from: directories.map(RuleSource.folder))
    }

    /// Loads every `.yaml` file of the sources: files with `events:` hold event definitions, the
    /// others one rule each. Reports every problem found, not just the first.
    public static func load(from sources: [RuleSource]) throws(RuleLoadErrors) -> RuleSet {
        let files = sources.flatMap { $0.yamlFiles() }
        // Parsing YAML is most of start-up; files are independent, so they are parsed on all
        // cores and the results kept in file order, which keeps loading deterministic.
        let parsed = files.concurrentMap(parse)
        var events: [EventDefinition] = []
        var rules: [Rule] = []
        var errors: [RuleError] = []
        for result in parsed {
            switch result {
            case .events(let list): events.append(contentsOf: list)
            case .rule(let rule): rules.append(rule)
            case .failure(let error): errors.append(error)
            }
        }
        let set = RuleSet(events: events, rules: rules, sources: sources)
        errors.append(contentsOf: RuleValidator(set).validate())
        guard errors.isEmpty else { throw RuleLoadErrors(errors: errors) }
        return set
    }

    enum ParsedFile: Sendable {
        case events([EventDefinition])
        case rule(Rule)
        case failure(RuleError)
    }

    static func parse(_ file: RuleFile) -> ParsedFile {
        do throws(RuleError) {
            let root = try document(file)
            if root.child("events") != nil {
                return .events(try EventDefinitionParser.parse(root))
            }
            let rule = try RuleParser.parse(root)
            let stem = URL(fileURLWithPath: file.relativePath).deletingPathExtension().lastPathComponent
            if rule.id != stem {
                throw RuleError(file: file.path, rule: rule.id, line: root.keyLine("id"),
                                message: "the id '\(rule.id)' differs from the file name '\(stem)'",
                                hint: "rename the file to \(rule.id).yaml or change the id to \(stem)")
            }
            return .rule(rule)
        } catch {
            return .failure(error)
        }
    }

    /// The YAML document of a file on disk that is not in a rule source (a fixture's expectations).
    package static func document(_ file: String) throws(RuleError) -> YAMLValue {
        try document(RuleFile(relativePath: (file as NSString).lastPathComponent, path: file, embedded: nil))
    }

    package static func document(_ source: RuleFile) throws(RuleError) -> YAMLValue {
        let text = try source.text()
        let file = source.path
        do {
            // The basic resolver leaves scalars untyped: rule files read them as text anyway, and
            // the default resolver's regular expressions were a third of the start-up time.
            // The encoding is named because Yams' default reads the whole process environment on
            // every call, once per rule file.
            guard let node = try Yams.compose(yaml: text, .basic, .default, .utf8) else {
                throw RuleError(file: file, message: "the file is empty", hint: "write a rule (`id:`, `match:` …) or an event list (`events:`)")
            }
            let root = YAMLValue(node: node, file: file)
            guard root.isMapping else {
                throw RuleError(file: file, line: root.line, message: "the file must hold a mapping at the top level", hint: "start with `id: …` for a rule or `events:` for event definitions")
            }
            return root
        } catch let error as RuleError {
            throw error
        } catch let error as YamlError {
            throw yamlError(error, file: file)
        } catch {
            throw RuleError(file: file, message: "invalid YAML: \(error)")
        }
    }

    private static func yamlError(_ error: YamlError, file: String) -> RuleError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            return RuleError(file: file, line: mark.line, message: "invalid YAML: \(problem)", hint: "check indentation and quoting near this line; quote patterns with single quotes")
        default:
            return RuleError(file: file, message: "invalid YAML: \(error)")
        }
    }
}
