/// Edits one YAML file as text at the places its parsed nodes are marked, matching the
/// surrounding indentation and list style, so the rest of the file stays as written.
///
/// Its marks are those of the text it was made from, so callers make a new editor after each
/// edit that moves lines.
struct YAMLTextEditor {
    let file: String
    private(set) var text: EditableText
    let root: ConfigNode

    /// Nil when the file does not parse.
    init?(file: String, text: String) {
        guard let document = try? ConfigYAML.document(text, file: file) else { return nil }
        self.file = file
        self.text = EditableText(text)
        root = ConfigYAML.raw(document, file: file)
    }

    var result: String { text.text }

    // MARK: Finding written nodes

    /// A node and how it is reached: each container above it and, in mappings, the entry.
    struct Place {
        var node: ConfigNode
        var chain: [(container: ConfigNode, entry: ConfigEntry?)]

        var parentEntry: ConfigEntry? { chain.last?.entry }
    }

    enum Kind { case scalar, mapping, sequence }

    /// The written node at a place a parsed node was marked at.
    func locate(_ target: ConfigNode) -> Place? {
        let kind: Kind = target.isMapping ? .mapping : (target.isSequence ? .sequence : .scalar)
        return locate(line: target.line, column: target.column, kind: kind)
    }

    func locate(line: Int, column: Int, kind: Kind) -> Place? {
        guard line > 0 else { return nil }
        var chain: [(container: ConfigNode, entry: ConfigEntry?)] = []
        return search(root, line: line, column: column, kind: kind, chain: &chain)
    }

    private func search(_ node: ConfigNode, line: Int, column: Int, kind: Kind, chain: inout [(container: ConfigNode, entry: ConfigEntry?)]) -> Place? {
        if node.isAlias { return nil }
        if node.line == line && node.column == column {
            let matches = switch kind {
            case .mapping: node.isMapping
            case .sequence: node.isSequence
            case .scalar: node.string != nil || node.isNull
            }
            if matches { return Place(node: node, chain: chain) }
        }
        // Values are written after the nodes that hold them, so later nodes cannot hold it.
        if node.line > line && node.line > 0 { return nil }
        switch node.content {
        case .scalar:
            return nil
        case .mapping(let entries):
            for entry in entries {
                chain.append((node, entry))
                if let found = search(entry.value, line: line, column: column, kind: kind, chain: &chain) { return found }
                chain.removeLast()
            }
        case .sequence(let items):
            for item in items {
                chain.append((node, nil))
                if let found = search(item, line: line, column: column, kind: kind, chain: &chain) { return found }
                chain.removeLast()
            }
        }
        return nil
    }

    /// Every written mapping under a key named `key`, outermost first.
    func mappings(under key: String) -> [Place] {
        var found: [Place] = []
        var chain: [(container: ConfigNode, entry: ConfigEntry?)] = []
        collect(root, key: key, chain: &chain, into: &found)
        return found
    }

    private func collect(_ node: ConfigNode, key: String, chain: inout [(container: ConfigNode, entry: ConfigEntry?)], into found: inout [Place]) {
        if node.isAlias { return }
        switch node.content {
        case .scalar:
            return
        case .mapping(let entries):
            for entry in entries {
                chain.append((node, entry))
                if entry.key == key, entry.value.isMapping, !entry.value.isAlias {
                    found.append(Place(node: entry.value, chain: chain))
                }
                collect(entry.value, key: key, chain: &chain, into: &found)
                chain.removeLast()
            }
        case .sequence(let items):
            for item in items {
                chain.append((node, nil))
                collect(item, key: key, chain: &chain, into: &found)
                chain.removeLast()
            }
        }
    }

    // MARK: Flow collections

    /// Where a collection's `[` or `{` is, if it is written in flow style.
    func flowOpen(_ node: ConfigNode) -> (line: Int, column: Int)? {
        let index = node.line - 1
        var column = node.column - 1
        let scalars = text.scalars(index)
        // An anchor or tag comes before the value itself.
        while column < scalars.count {
            let character = scalars[column]
            if character == " " {
                column += 1
            } else if character == "&" || character == "!" {
                while column < scalars.count, scalars[column] != " " { column += 1 }
            } else {
                break
            }
        }
        guard column < scalars.count, scalars[column] == "[" || scalars[column] == "{" else { return nil }
        return (index, column)
    }

    /// The bracket closing the one at `open`, skipping quoted text and comments.
    func flowClose(_ open: (line: Int, column: Int)) -> (line: Int, column: Int)? {
        var depth = 0
        var line = open.line
        var column = open.column
        var quote: Unicode.Scalar?
        while line < text.count {
            let scalars = text.scalars(line)
            while column < scalars.count {
                let character = scalars[column]
                if let open = quote {
                    if character == "\\" && open == "\"" {
                        column += 1
                    } else if character == open {
                        if open == "'" && column + 1 < scalars.count && scalars[column + 1] == "'" {
                            column += 1
                        } else {
                            quote = nil
                        }
                    }
                } else if character == "'" || character == "\"" {
                    quote = character
                } else if character == "#" && (column == 0 || scalars[column - 1] == " ") {
                    break
                } else if character == "[" || character == "{" {
                    depth += 1
                } else if character == "]" || character == "}" {
                    depth -= 1
                    if depth == 0 { return (line, column) }
                }
                column += 1
            }
            line += 1
            column = 0
        }
        return nil
    }

    /// The last character before `position` that is not blank, across lines.
    private func lastContent(before position: (line: Int, column: Int)) -> (line: Int, column: Int, character: Unicode.Scalar)? {
        var line = position.line
        var column = position.column - 1
        while line >= 0 {
            let scalars = text.scalars(line)
            column = min(column, scalars.count - 1)
            while column >= 0 {
                if scalars[column] != " " && scalars[column] != "\t" { return (line, column, scalars[column]) }
                column -= 1
            }
            line -= 1
            column = Int.max
        }
        return nil
    }

    /// Adds `item` (already formatted) at the end of a flow collection.
    private mutating func appendFlow(_ node: ConfigNode, _ item: String) -> Bool {
        guard let open = flowOpen(node), let close = flowClose(open),
              let last = lastContent(before: close) else { return false }
        if last.line == open.line && last.column == open.column {
            text.replace(line: last.line, from: last.column + 1, to: last.line == close.line ? close.column : last.column + 1, with: item)
        } else if last.character == "," {
            text.replace(line: last.line, from: last.column + 1, to: last.column + 1, with: " " + item)
        } else {
            text.replace(line: last.line, from: last.column + 1, to: last.column + 1, with: ", " + item)
        }
        return true
    }

    // MARK: Lists

    /// Appends an item (formatted YAML) to a list, block or flow.
    mutating func appendItem(to list: ConfigNode, _ item: String) -> Bool {
        guard let place = locate(list), place.node.isSequence else { return false }
        if flowOpen(place.node) != nil { return appendFlow(place.node, item) }
        guard let key = place.parentEntry else { return false }
        let items = text.blockItems(underKey: key.line - 1, keyIndent: key.column - 1)
        guard let last = items.last else { return false }
        let end = text.blockEnd(last.line, indent: last.dash, isKey: false)
        text.insert([String(repeating: " ", count: last.dash) + "- " + item], at: end + 1)
        return true
    }

    /// Inserts an item before the list's item `index` (as written, not after `!reference`).
    mutating func insertItem(in list: ConfigNode, before index: Int, _ item: String) -> Bool {
        guard let place = locate(list), let written = place.node.items, index < written.count else {
            return false
        }
        if flowOpen(place.node) != nil {
            let target = written[index]
            guard !target.isAlias, target.line > 0 else { return false }
            text.replace(line: target.line - 1, from: target.column - 1, to: target.column - 1, with: item + ", ")
            return true
        }
        guard let key = place.parentEntry else { return false }
        let items = text.blockItems(underKey: key.line - 1, keyIndent: key.column - 1)
        guard items.count == written.count else { return false }
        text.insert([String(repeating: " ", count: items[index].dash) + "- " + item], at: items[index].line)
        return true
    }

    // MARK: Mappings

    /// Adds an entry at the end of a mapping. `lines` are the entry as it would be written at
    /// column 0 ("paths:", "  - x"); they are indented like the mapping's other keys.
    mutating func appendEntry(to mapping: ConfigNode, _ lines: [String]) -> Bool {
        guard let place = locate(mapping), let entries = place.node.entries, let first = lines.first else { return false }
        if flowOpen(place.node) != nil {
            guard lines.count == 1 else { return false }
            return appendFlow(place.node, first)
        }
        guard let last = entries.last else { return false }
        let column = entries[0].column - 1
        guard entries.allSatisfy({ $0.column - 1 == column }) else { return false }
        let end = text.blockEnd(last.line - 1, indent: column, isKey: true)
        let indent = String(repeating: " ", count: column)
        text.insert(lines.map { indent + $0 }, at: end + 1)
        return true
    }

    /// Sets `key` to `value` in the mapping that is `entry`'s value (`env:`, `with:`, `variables:`):
    /// the written scalar replaced, else `line` (the new entry as written at column 0) appended, or
    /// made the block of a key whose value is empty. False where the text cannot take it: an alias,
    /// a multi-line value (a block of paths is not one value), a value that is not a mapping.
    mutating func setEntry(_ key: String, to value: String, line: String, in entry: ConfigEntry) -> Bool {
        if let current = entry.value.entry(key) {
            if current.value.string == value { return true }
            guard current.value.string?.contains("\n") != true else { return false }
            return replaceScalar(current.value, with: value)
        }
        if entry.value.isMapping, !entry.value.isAlias { return appendEntry(to: entry.value, [line]) }
        if entry.value.isNull { return fill(entry, [line]) }
        return false
    }

    /// Gives a key whose value is empty (`variables:` or `variables: ~`) a block value.
    mutating func fill(_ entry: ConfigEntry, _ lines: [String]) -> Bool {
        let index = entry.line - 1
        let scalars = text.scalars(index)
        var colon = entry.column - 1
        while colon < scalars.count, scalars[colon] != ":" { colon += 1 }
        guard colon < scalars.count else { return false }
        let rest = String(String.UnicodeScalarView(scalars[(colon + 1)...]))
        let value = rest.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first?.trimmingCharacters(in: .whitespaces) ?? ""
        guard ["", "~", "null", "Null", "NULL"].contains(value) else { return false }
        if !value.isEmpty, let range = rest.range(of: value) {
            let offset = rest.unicodeScalars.distance(from: rest.unicodeScalars.startIndex, to: range.lowerBound)
            text.replace(line: index, from: colon + 1, to: colon + 1 + offset + value.unicodeScalars.count, with: "")
        }
        let indent = String(repeating: " ", count: entry.column - 1 + text.indentUnit)
        text.insert(lines.map { indent + $0 }, at: text.blockEnd(index, indent: entry.column - 1, isKey: true) + 1)
        return true
    }

    /// Removes `key` from the written mapping at `place`. A block mapping left empty takes its own
    /// key with it: a bare `variables:` would read as null, not as an empty mapping.
    mutating func removeEntry(_ key: String, from place: Place) -> Bool {
        guard let entries = place.node.entries, let entry = entries.first(where: { $0.key == key }) else { return false }
        if flowOpen(place.node) != nil { return removeFlowEntry(entry, place.node) }
        let index = entry.line - 1
        guard keyStartsLine(entry) else { return false }
        let end = text.blockEnd(index, indent: entry.column - 1, isKey: true)
        if entries.count == 1, let parent = place.parentEntry {
            if keyStartsLine(parent) {
                text.remove((parent.line - 1)...text.blockEnd(parent.line - 1, indent: parent.column - 1, isKey: true))
                return true
            }
            text.remove(index...end)
            return appendToKeyLine(parent, " {}")
        }
        text.remove(index...end)
        return true
    }

    private func keyStartsLine(_ entry: ConfigEntry) -> Bool {
        text.scalars(entry.line - 1).prefix(entry.column - 1).allSatisfy { $0 == " " }
    }

    private mutating func appendToKeyLine(_ entry: ConfigEntry, _ suffix: String) -> Bool {
        let index = entry.line - 1
        let scalars = text.scalars(index)
        var column = entry.column - 1
        while column < scalars.count, scalars[column] != ":" { column += 1 }
        guard column < scalars.count else { return false }
        text.replace(line: index, from: column + 1, to: column + 1, with: suffix)
        return true
    }

    private mutating func removeFlowEntry(_ entry: ConfigEntry, _ mapping: ConfigNode) -> Bool {
        guard let open = flowOpen(mapping), let close = flowClose(open), open.line == close.line,
              entry.line - 1 == open.line else { return false }
        let scalars = text.scalars(open.line)
        let start = entry.column - 1
        // The entry runs to the next comma or the closing brace at this depth.
        var depth = 0
        var quote: Unicode.Scalar?
        var end = start
        while end < close.column {
            let character = scalars[end]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "[" || character == "{" {
                depth += 1
            } else if character == "]" || character == "}" {
                depth -= 1
            } else if character == "," && depth == 0 {
                break
            }
            end += 1
        }
        if end < close.column {
            var after = end + 1
            while after < close.column, scalars[after] == " " { after += 1 }
            text.replace(line: open.line, from: start, to: after, with: "")
        } else {
            var before = start
            while before > open.column + 1, scalars[before - 1] == " " { before -= 1 }
            if before > open.column + 1, scalars[before - 1] == "," { before -= 1 }
            var valueEnd = end
            while valueEnd > start, scalars[valueEnd - 1] == " " { valueEnd -= 1 }
            text.replace(line: open.line, from: before, to: valueEnd, with: "")
        }
        return true
    }

    // MARK: Scalars

    /// The columns (0-based, end exclusive) a single-line scalar's text takes on its line.
    func scalarSpan(_ node: ConfigNode, inFlow: Bool) -> (line: Int, from: Int, to: Int)? {
        let index = node.line - 1
        let scalars = text.scalars(index)
        var start = node.column - 1
        guard start >= 0, start <= scalars.count else { return nil }
        while start < scalars.count, scalars[start] == "&" || scalars[start] == "!" {
            while start < scalars.count, scalars[start] != " " { start += 1 }
            while start < scalars.count, scalars[start] == " " { start += 1 }
        }
        guard start < scalars.count else { return nil }
        let first = scalars[start]
        if first == "'" || first == "\"" {
            var end = start + 1
            while end < scalars.count {
                if first == "\"" && scalars[end] == "\\" {
                    end += 2
                    continue
                }
                if scalars[end] == first {
                    if first == "'" && end + 1 < scalars.count && scalars[end + 1] == "'" {
                        end += 2
                        continue
                    }
                    return (index, start, end + 1)
                }
                end += 1
            }
            return nil
        }
        guard node.style == .plain else { return nil }
        var end = start
        while end < scalars.count {
            if scalars[end] == "#" && end > start && scalars[end - 1] == " " { break }
            if inFlow && [",", "]", "}"].contains(scalars[end]) { break }
            end += 1
        }
        while end > start, scalars[end - 1] == " " || scalars[end - 1] == "\t" { end -= 1 }
        // A plain scalar continued on the next lines cannot be replaced on one line.
        let next = index + 1
        if next < text.count, !text.isBlank(next), !text.isComment(next), text.indent(next) > text.indent(index),
           !text.trimmed(next).contains(":"), !text.isSequenceItem(next) {
            return nil
        }
        return (index, start, end)
    }

    /// Replaces a single-line scalar with `value`, quoted like the text it replaces.
    mutating func replaceScalar(_ node: ConfigNode, with value: String) -> Bool {
        guard let place = locate(node) else { return false }
        let inFlow = place.chain.contains { flowOpen($0.container) != nil }
        guard let span = scalarSpan(place.node, inFlow: inFlow) else { return false }
        let written = String(String.UnicodeScalarView(text.scalars(span.line)[span.from..<span.to]))
        var replacement = YAMLScalarFormat.format(value, replacing: written)
        if inFlow && !written.hasPrefix("\"") && !written.hasPrefix("'") {
            replacement = YAMLScalarFormat.format(value, inFlow: true)
        }
        text.replace(line: span.line, from: span.from, to: span.to, with: replacement)
        return true
    }

    /// Adds a line at the end of the literal block scalar (`key: |`) of an entry, indented like
    /// its other lines.
    mutating func appendLine(toBlockScalarOf entry: ConfigEntry, _ line: String) -> Bool {
        let keyLine = entry.line - 1
        let end = text.blockEnd(keyLine, indent: entry.column - 1, isKey: true)
        guard end > keyLine, let first = ((keyLine + 1)...end).first(where: { !text.isBlank($0) }) else { return false }
        text.insert([String(repeating: " ", count: text.indent(first)) + line], at: end + 1)
        return true
    }

    // MARK: Raw line edits

    mutating func insertLines(_ lines: [String], at index: Int) {
        text.insert(lines, at: index)
    }

    mutating func replaceLine(_ index: Int, from: Int, to: Int, with replacement: String) {
        text.replace(line: index, from: from, to: to, with: replacement)
    }
}
