import Foundation
import Yams

/// Parses CI files with Yams and turns its nodes into `ConfigNode`s.
///
/// Yams composes aliases into the anchored node itself, but leaves YAML merge keys (`<<: *x`) as
/// ordinary entries (it applies them only when constructing Swift dictionaries), so merges are
/// applied here.
enum ConfigYAML {
    /// Aliases can make a small file expand enormously ("billion laughs"); CI configs stay far
    /// below this many values.
    static let nodeBudget = 500_000

    /// The document holding the configuration: GitLab files may start with a `spec:` header
    /// document, and then the configuration is the second one. Nil for an empty file.
    static func document(_ text: String, file: String) throws(CIConfigError) -> Node? {
        do {
            var documents: [Node] = []
            var stream = try Yams.compose_all(yaml: text)
            while documents.count < 2, let document = stream.next() {
                documents.append(document)
            }
            if let error = stream.error { throw error }
            if documents.count >= 2, documents[0].mapping?["spec"] != nil {
                return documents[1]
            }
            return documents.first
        } catch let error as YamlError {
            throw Self.error(error, file: file, text: text)
        } catch {
            throw CIConfigError.notYAML(file: file, line: 1, column: 1, reason: "\(error)")
        }
    }

    /// Values as the configuration means them: merge keys applied, aliases expanded.
    static func semantic(_ node: Node, file: String) throws(CIConfigError) -> ConfigNode {
        var budget = nodeBudget
        guard let built = build(node, file: file, raw: false, budget: &budget) else {
            throw CIConfigError.notCIConfig(file: file, reason: "its aliases expand to more than \(nodeBudget) values")
        }
        return built
    }

    /// Values as the text writes them, for editing: merge keys kept as entries, alias uses
    /// flagged and not entered, so every node found in this tree is written where its marks say.
    static func raw(_ node: Node, file: String) -> ConfigNode {
        var budget = Int.max
        return build(node, file: file, raw: true, budget: &budget) ?? ConfigNode(content: .scalar(""), file: file, line: 0, column: 0)
    }

    private static func position(_ node: Node) -> (line: Int, column: Int) {
        (node.mark?.line ?? 0, node.mark?.column ?? 0)
    }

    private static func precedes(_ a: (line: Int, column: Int), _ b: (line: Int, column: Int)) -> Bool {
        a.line < b.line || (a.line == b.line && a.column < b.column)
    }

    private static func localTag(_ node: Node) -> String? {
        let name = node.tag.rawValue
        return name.hasPrefix("!") && !name.hasPrefix("!!") ? name : nil
    }

    private static func build(_ node: Node, file: String, raw: Bool, budget: inout Int) -> ConfigNode? {
        budget -= 1
        guard budget > 0 else { return nil }
        let (line, column) = position(node)
        switch node {
        case .scalar(let scalar):
            var built = ConfigNode(content: .scalar(scalar.string), file: file, line: line, column: column)
            built.tag = localTag(node)
            switch scalar.style {
            case .singleQuoted, .doubleQuoted: built.style = .quoted
            case .literal: built.style = .literal
            case .folded: built.style = .folded
            default: built.style = .plain
            }
            built.isNull = built.style == .plain && built.tag == nil && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
            return built
        case .sequence(let sequence):
            var items: [ConfigNode] = []
            var last = (line, column)
            for item in sequence {
                let place = position(item)
                if raw && precedes(place, last) {
                    items.append(aliasPlaceholder(item, file: file))
                    continue
                }
                guard let built = build(item, file: file, raw: raw, budget: &budget) else { return nil }
                items.append(built)
                last = place
            }
            var built = ConfigNode.sequence(items, file: file, line: line, column: column)
            built.tag = localTag(node)
            return built
        case .mapping(let mapping):
            var own: [ConfigEntry] = []
            var merged: [ConfigEntry] = []
            for (key, value) in mapping {
                let keyPlace = position(key)
                let keyText = key.scalar?.string ?? ""
                let isMerge = keyText == "<<" && key.scalar?.style == .plain
                if raw {
                    let written = precedes(position(value), keyPlace)
                        ? aliasPlaceholder(value, file: file)
                        : build(value, file: file, raw: true, budget: &budget)
                    guard let written else { return nil }
                    own.append(ConfigEntry(key: keyText, file: file, line: keyPlace.line, column: keyPlace.column, value: written))
                    continue
                }
                if isMerge {
                    // In a list of merged mappings the earlier one wins, as in the YAML merge spec.
                    let sources = value.sequence.map(Array.init) ?? [value]
                    for source in sources {
                        guard let built = build(source, file: file, raw: false, budget: &budget) else { return nil }
                        for entry in built.entries ?? [] where !merged.contains(where: { $0.key == entry.key }) {
                            merged.append(entry)
                        }
                    }
                    continue
                }
                guard let built = build(value, file: file, raw: false, budget: &budget) else { return nil }
                own.append(ConfigEntry(key: keyText, file: file, line: keyPlace.line, column: keyPlace.column, value: built))
            }
            var entries = merged
            for entry in own {
                if let index = entries.firstIndex(where: { $0.key == entry.key }) {
                    entries[index] = entry
                } else {
                    entries.append(entry)
                }
            }
            var built = ConfigNode.mapping(entries, file: file, line: line, column: column)
            built.tag = localTag(node)
            return built
        case .alias:
            return ConfigNode(content: .scalar(""), file: file, line: line, column: column, isNull: true)
        }
    }

    private static func aliasPlaceholder(_ node: Node, file: String) -> ConfigNode {
        var placeholder = ConfigNode(content: .scalar(""), file: file, line: 0, column: 0)
        placeholder.isAlias = true
        if node.mapping != nil { placeholder.content = .mapping([]) }
        if node.sequence != nil { placeholder.content = .sequence([]) }
        return placeholder
    }

    /// The parser's complaint with its place, for `CIConfigError.notYAML`.
    static func error(_ error: YamlError, file: String, text: String) -> CIConfigError {
        func describe(_ problem: String, _ context: YamlError.Context?) -> String {
            guard let context else { return problem }
            return "\(problem) (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
        }
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            return .notYAML(file: file, line: mark.line, column: mark.column, reason: describe(problem, context))
        case .reader(let problem, let offset, _, _):
            let prefix = text.utf8.prefix(offset ?? 0)
            let line = prefix.filter { $0 == UInt8(ascii: "\n") }.count + 1
            let column = prefix.reversed().prefix { $0 != UInt8(ascii: "\n") }.count + 1
            return .notYAML(file: file, line: line, column: column, reason: problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let names = duplicates.joined(separator: ", ")
            return .notYAML(file: file, line: context.mark.line, column: context.mark.column,
                            reason: "duplicate key \(names) in one mapping (YAML allows each key once; merge the two blocks)")
        default:
            return .notYAML(file: file, line: 1, column: 1, reason: "\(error)")
        }
    }
}
