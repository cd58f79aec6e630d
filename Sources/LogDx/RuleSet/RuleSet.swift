import Foundation
import Yams

/// The event definitions and diagnosis rules in force, loaded from rule folders and checked as a
/// whole: every kind a rule names exists, every variable a template uses is bound.
public struct RuleSet: Sendable {
    public var events: [EventDefinition]
    public var rules: [Rule]
    /// The folders the rules came from, in load order.
    public var directories: [String]

    /// Fields every event has, whatever its kind.
    public static let universalFields: Set<String> = ["job", "stage", "line", "text", "kind"]

    public init(events: [EventDefinition], rules: [Rule], directories: [String]) {
        self.events = events
        self.rules = rules
        self.directories = directories
    }

    /// Every kind some definition or the framing produces.
    public var knownKinds: Set<String> {
        Set(events.map(\.kind)).union(StructuralEvent.all)
    }

    /// The fields events of `kind` can carry.
    public func fields(of kind: String) -> Set<String> {
        var result = Self.universalFields
        result.formUnion(StructuralEvent.fields[kind] ?? [])
        for definition in events where definition.kind == kind { result.formUnion(definition.fieldNames) }
        return result
    }

    /// Loads every `.yaml` file under the folders: files with `events:` hold event definitions,
    /// the others one rule each. Reports every problem found, not just the first.
    public static func load(from directories: [String]) throws(RuleLoadErrors) -> RuleSet {
        var events: [EventDefinition] = []
        var rules: [Rule] = []
        var errors: [RuleError] = []
        for directory in directories {
            for file in yamlFiles(under: directory) {
                do throws(RuleError) {
                    let root = try document(file)
                    if root.child("events") != nil {
                        events.append(contentsOf: try EventDefinitionParser.parse(root))
                    } else {
                        let rule = try RuleParser.parse(root)
                        let stem = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
                        if rule.id != stem {
                            throw RuleError(file: file, rule: rule.id, line: root.keyLine("id"),
                                            message: "the id '\(rule.id)' differs from the file name '\(stem)'",
                                            hint: "rename the file to \(rule.id).yaml or change the id to \(stem)")
                        }
                        rules.append(rule)
                    }
                } catch {
                    errors.append(error)
                }
            }
        }
        let set = RuleSet(events: events, rules: rules, directories: directories)
        errors.append(contentsOf: RuleValidator(set).validate())
        guard errors.isEmpty else { throw RuleLoadErrors(errors: errors) }
        return set
    }

    static func document(_ file: String) throws(RuleError) -> YAMLValue {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw RuleError(file: file, message: "cannot read the file as UTF-8 text (\(error.localizedDescription))")
        }
        do {
            // The basic resolver leaves scalars untyped: rule files read them as text anyway, and
            // the default resolver's regular expressions were a third of the start-up time.
            guard let node = try Yams.compose(yaml: text, .basic) else {
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

    static func yamlFiles(under directory: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            guard relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") else { continue }
            if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            files.append((directory as NSString).appendingPathComponent(relative))
        }
        return files.sorted()
    }
}
