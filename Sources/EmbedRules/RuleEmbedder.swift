import Foundation

/// The build-time half of the built-in rules (run by EmbedRulesPlugin, never shipped): writes every
/// file of `Rules/` into a Swift source as a string literal, so the binary carries its rules and
/// needs no `Rules/` folder on disk.
///
/// Each file becomes one escaped multi-line string literal, appended by its own statement: a
/// literal array of thousands of elements (or of bytes) is what makes the type checker give up,
/// while string literals of any length compile in linear time. Escaping every backslash, quote
/// and control character makes any UTF-8 text safe, whatever delimiters or `\(` it contains.
///
///     EmbedRules RULES_DIR OUTPUT.swift
@main
struct RuleEmbedder {
    static func main() {
        let arguments = CommandLine.arguments
        guard arguments.count == 3 else {
            fail("usage: EmbedRules RULES_DIR OUTPUT.swift")
        }
        let root = URL(fileURLWithPath: arguments[1], isDirectory: true).standardizedFileURL
        let files = relativeFiles(under: root)
        guard !files.isEmpty else { fail("\(root.path) holds no files: the built-in rules would be empty") }
        var source = """
            // Generated at build time by EmbedRules from \(files.count) files of Rules/; do not edit.
            // The rules are edited in Rules/ and embedded again by the next build.

            extension BuiltInRuleFiles {
                static let generated: [File] = {
                    var files: [File] = []
                    files.reserveCapacity(\(files.count))

            """
        for relative in files {
            let url = root.appendingPathComponent(relative)
            guard let data = FileManager.default.contents(atPath: url.path) else { fail("cannot read \(url.path)") }
            guard let text = String(data: data, encoding: .utf8) else {
                fail("\(url.path) is not UTF-8 text; rule folders hold YAML, JSON and name lists, all UTF-8")
            }
            source += "        files.append(File(path: \(literal(relative)), text: \(literal(text))))\n"
        }
        source += "        return files\n    }()\n}\n"
        let output = URL(fileURLWithPath: arguments[2])
        // Unchanged output keeps its modification time, so an edit that changes nothing in the
        // embedded text recompiles nothing.
        if let existing = FileManager.default.contents(atPath: output.path), existing == Data(source.utf8) { return }
        do {
            try Data(source.utf8).write(to: output, options: .atomic)
        } catch {
            fail("cannot write \(output.path): \(error.localizedDescription)")
        }
    }

    /// Every regular file under `root`, relative and sorted, without hidden files or folders (an
    /// editor's swap file must not become a rule).
    static func relativeFiles(under root: URL) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root.path) else {
            fail("\(root.path) is not a readable folder")
        }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            var isFolder: ObjCBool = false
            let path = root.appendingPathComponent(relative).path
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            files.append(relative)
        }
        return files.sorted()
    }

    /// `text` as a Swift multi-line string literal whose value is exactly `text`. The closing
    /// delimiter sits at column 0, so no indentation is stripped, and the newline before it is
    /// not part of the value.
    static func literal(_ text: String) -> String {
        var out = "\"\"\"\n"
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\n"
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\n\"\"\""
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("EmbedRules: \(message)\n".utf8))
        exit(1)
    }
}
