/// A YAML value that remembers the file, line and column it is written at. Merging includes,
/// `extends` and defaults moves values between trees, and the facts and edits still have to point
/// at the text that wrote each one.
package struct ConfigNode: Sendable {
    indirect enum Content: Sendable {
        case scalar(String)
        case mapping([ConfigEntry])
        case sequence([ConfigNode])
    }

    enum Style: Sendable {
        case plain, quoted, literal, folded, collection
    }

    var content: Content
    var file: String
    /// 1-based; 0 for values that are not written anywhere (built by the reader).
    var line: Int
    /// 1-based, in Unicode scalars as libyaml counts them.
    var column: Int
    /// A local tag such as `!reference`; nil for ordinary values.
    var tag: String? = nil
    var style: Style = .collection
    var isNull = false
    /// Raw trees only: this place repeats an anchored value through an alias. Yams hands back the
    /// anchored node itself, so its marks are those of the anchor, not of the alias.
    var isAlias = false

    static func mapping(_ entries: [ConfigEntry], file: String = "", line: Int = 0, column: Int = 0) -> ConfigNode {
        ConfigNode(content: .mapping(entries), file: file, line: line, column: column)
    }

    static func sequence(_ items: [ConfigNode], file: String = "", line: Int = 0, column: Int = 0) -> ConfigNode {
        ConfigNode(content: .sequence(items), file: file, line: line, column: column)
    }

    var entries: [ConfigEntry]? {
        if case .mapping(let entries) = content { return entries }
        return nil
    }

    package var items: [ConfigNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// The scalar's text; nil for collections and for null.
    package var string: String? {
        if case .scalar(let text) = content, !isNull { return text }
        return nil
    }

    var isMapping: Bool { entries != nil }
    var isSequence: Bool { items != nil }

    package subscript(key: String) -> ConfigNode? {
        entry(key)?.value
    }

    func entry(_ key: String) -> ConfigEntry? {
        entries?.first { $0.key == key }
    }

    /// Strings of a scalar or of a sequence of scalars: GitLab accepts both for lists of names.
    var stringList: [String] {
        if let string { return [string] }
        return (items ?? []).compactMap(\.string)
    }

    var isReference: Bool { tag == "!reference" }

    func removing(_ key: String) -> ConfigNode {
        guard let entries else { return self }
        var copy = self
        copy.content = .mapping(entries.filter { $0.key != key })
        return copy
    }

    func setting(_ key: String, _ value: ConfigNode, file: String, line: Int, column: Int) -> ConfigNode {
        var entries = self.entries ?? []
        if let index = entries.firstIndex(where: { $0.key == key }) {
            entries[index].value = value
        } else {
            entries.append(ConfigEntry(key: key, file: file, line: line, column: column, value: value))
        }
        var copy = self
        copy.content = .mapping(entries)
        return copy
    }

    /// Hashes merge key by key, recursively; anything else is replaced. This is how GitLab
    /// combines includes and `extends` (arrays, scripts included, are replaced, not appended).
    static func deepMerge(_ base: ConfigNode, _ override: ConfigNode) -> ConfigNode {
        guard let baseEntries = base.entries, let overrideEntries = override.entries else { return override }
        var merged = baseEntries
        for entry in overrideEntries {
            if let index = merged.firstIndex(where: { $0.key == entry.key }) {
                var replaced = entry
                replaced.value = deepMerge(merged[index].value, entry.value)
                merged[index] = replaced
            } else {
                merged.append(entry)
            }
        }
        var result = override
        result.content = .mapping(merged)
        return result
    }
}

/// A key and its value; the key's own place is where a job, variable or setting is written.
struct ConfigEntry: Sendable {
    var key: String
    var file: String
    var line: Int
    var column: Int
    var value: ConfigNode
}
