import Foundation
import LogDxModel
import LogDxRedaction

/// Makes facts that point at written lines, expands variables in paths, and keeps secrets out of
/// everything a fact carries: this tool prints facts, and CI files do hold tokens.
struct ConfigFactBuilder: Sendable {
    private let lines: [String: [String]]

    init(texts: [String: String]) {
        lines = texts.mapValues(EditableText.split)
    }

    static let secretMarkers = ["TOKEN", "SECRET", "PASSWORD", "PASSWD", "KEY", "CREDENTIAL"]

    static func isSecretName(_ name: String) -> Bool {
        let upper = name.uppercased()
        return secretMarkers.contains { upper.contains($0) }
    }

    func text(_ file: String, _ line: Int) -> String {
        guard let fileLines = lines[file], line >= 1, line <= fileLines.count else { return "" }
        return fileLines[line - 1].trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func fact(_ kind: String, _ fields: [String: String], file: String, line: Int) -> ConfigFact {
        // Redacted as it is read; `redact(_:secrets:)` masks the secret variables' values on top.
        ConfigFact(kind: kind, fields: fields, file: file, line: line, text: SecretRedactor().redacted(text(file, line)))
    }

    func fact(_ kind: String, _ fields: [String: String], at node: ConfigNode) -> ConfigFact {
        fact(kind, fields, file: node.file, line: node.line)
    }

    /// The non-empty lines of a scalar with the line each is written on: a block scalar's lines
    /// follow its indicator line, so each is searched for in the text from there on.
    func writtenLines(_ item: ConfigNode) -> [(text: String, line: Int)] {
        guard let value = item.string else { return [] }
        var result: [(text: String, line: Int)] = []
        var cursor = item.line
        let fileLines = lines[item.file] ?? []
        for piece in value.split(separator: "\n", omittingEmptySubsequences: true) {
            let trimmed = piece.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            var found: Int?
            if cursor >= 1 && cursor <= fileLines.count {
                // A folded scalar joins lines, so only its start can be found as written.
                for probe in [trimmed, String(trimmed.prefix(20))] where found == nil {
                    found = (cursor...min(cursor + 500, fileLines.count)).first { fileLines[$0 - 1].contains(probe) }
                }
            }
            let line = found ?? cursor
            if found != nil { cursor = line + 1 }
            result.append((trimmed, line))
        }
        return result
    }

    /// One fact per non-empty line of a script item.
    func commandFacts(_ item: ConfigNode, section: String, extra: [String: String] = [:]) -> [ConfigFact] {
        writtenLines(item).map { command in
            var fields = extra
            fields["command"] = command.text
            fields["section"] = section
            return fact("config.command", fields, file: item.file, line: command.line)
        }
    }

    /// A variable's fact. Values of secret-looking names never leave this function, not even in
    /// the evidence line.
    func variableFact(_ entry: ConfigEntry, value: String, extra: [String: String] = [:]) -> ConfigFact {
        var fields = extra
        fields["name"] = entry.key
        let secret = Self.isSecretName(entry.key)
        fields["value"] = secret ? SecretRedactor.mask : value
        var fact = fact("config.variable", fields, file: entry.file, line: entry.line)
        if secret, let colon = fact.text.value.firstIndex(of: ":") {
            fact.text = SecretRedactor().redacted(fact.text.value[...colon] + " " + SecretRedactor.mask)
        }
        return fact
    }

    /// Masks the literal values of secret-named variables wherever else they appear (a command
    /// that echoes one, a URL), and what `SecretRedactor` recognises by shape.
    static func redact(_ facts: [ConfigFact], secrets: Set<String>) -> [ConfigFact] {
        let redactor = SecretRedactor()
        let literals = secrets.filter { $0.count >= 4 && $0 != SecretRedactor.mask }.sorted { $0.count > $1.count }
        func masked(_ text: String) -> String {
            var text = text
            for literal in literals where text.contains(literal) {
                text = text.replacingOccurrences(of: literal, with: SecretRedactor.mask)
            }
            return text
        }
        return facts.map { fact in
            var fact = fact
            // The line was redacted when the fact was made; masking more keeps it redacted.
            fact.text = Redacted(alreadyRedacted: masked(fact.text.value))
            fact.fields = fact.fields.mapValues { redactor.redact(masked($0)) }
            return fact
        }
    }
}

/// Expands `$NAME` and `${NAME}` in paths the way the runner would, from the job's variables.
struct VariableExpander: Sendable {
    var values: [String: String]

    /// The runner's project directory is where caches and artifacts are relative to.
    static let projectDirectoryNames = ["CI_PROJECT_DIR", "GITHUB_WORKSPACE"]

    init(values: [String: String]) {
        // A path built from a secret would print it; such names stay as written.
        self.values = values.filter { !ConfigFactBuilder.isSecretName($0.key) }
        for name in Self.projectDirectoryNames { self.values[name] = "." }
    }

    func expand(_ text: String) -> String {
        var current = text
        // Values may refer to other variables; a few rounds resolve chains without looping forever.
        for _ in 0..<5 {
            let next = expandOnce(current)
            if next == current { break }
            current = next
        }
        while current.hasPrefix("./") { current.removeFirst(2) }
        return current.isEmpty ? "." : current
    }

    private func expandOnce(_ text: String) -> String {
        func isNameCharacter(_ character: Character) -> Bool {
            character.isASCII && (character.isLetter || character.isNumber || character == "_")
        }
        var output = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            guard character == "$" else {
                output.append(character)
                index = next
                continue
            }
            let rest = text[next...]
            if rest.hasPrefix("$") {
                // `$$` is GitLab's escaped dollar: not a variable.
                output += "$$"
                index = text.index(after: next)
            } else if rest.hasPrefix("{{"), let close = rest.range(of: "}}") {
                let inner = rest[rest.index(rest.startIndex, offsetBy: 2)..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                output += expression(inner) ?? String(text[index..<close.upperBound])
                index = close.upperBound
            } else if rest.hasPrefix("{") {
                let body = rest.dropFirst()
                let name = body.prefix(while: isNameCharacter)
                if !name.isEmpty, body[name.endIndex...].hasPrefix("}") {
                    let end = text.index(after: name.endIndex)
                    output += values[String(name)] ?? String(text[index..<end])
                    index = end
                } else {
                    output.append("$")
                    index = next
                }
            } else {
                let name = rest.prefix(while: isNameCharacter)
                output += name.isEmpty ? "$" : (values[String(name)] ?? "$" + name)
                index = name.isEmpty ? next : name.endIndex
            }
        }
        return output
    }

    private func expression(_ inner: String) -> String? {
        if inner == "github.workspace" { return "." }
        if inner.hasPrefix("env.") { return values[String(inner.dropFirst(4))] }
        return nil
    }
}
