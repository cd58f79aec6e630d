import Foundation
import PCRE2

/// Reads files of a repository by their path relative to its root. The patcher re-reads a
/// configuration from edited texts that are not on disk yet, so texts can be given in memory.
struct ConfigSource: Sendable {
    let root: String
    var overrides: [String: String] = [:]

    func absolute(_ relative: String) -> String {
        root.isEmpty ? relative : (root as NSString).appendingPathComponent(relative)
    }

    func exists(_ relative: String) -> Bool {
        if overrides[relative] != nil { return true }
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: absolute(relative), isDirectory: &isFolder) && !isFolder.boolValue
    }

    func read(_ relative: String) throws(CIConfigError) -> String {
        if let text = overrides[relative] { return text }
        let path = absolute(relative)
        guard exists(relative) else { throw .notFound(path: path) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: "permission denied or not a regular file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadable(path: path, reason: "not UTF-8 text")
        }
        return text
    }

    /// Files under the root matching a GitLab include glob (`*` within a folder, `**` across
    /// folders), sorted so that merges happen in a stable order.
    func glob(_ pattern: String) -> [String] {
        let literalPrefix = pattern.prefix { $0 != "*" && $0 != "?" && $0 != "[" }
        let folder = literalPrefix.contains("/") ? String(literalPrefix[..<(literalPrefix.lastIndex(of: "/") ?? literalPrefix.startIndex)]) : ""
        guard let enumerator = FileManager.default.enumerator(atPath: absolute(folder)) else { return [] }
        let matcher = Self.globRegex(pattern)
        let scratch = MatchScratch()
        var found: [String] = []
        var seen = 0
        while let next = enumerator.nextObject() as? String {
            seen += 1
            if seen > 20_000 { break }
            if next.hasPrefix(".git/") || next == ".git" { continue }
            let relative = folder.isEmpty ? next : folder + "/" + next
            if let matcher, case .matched = matcher.firstMatch(in: relative, scratch: scratch), exists(relative) {
                found.append(relative)
            }
        }
        return found.sorted()
    }

    static func globRegex(_ pattern: String) -> Pattern? {
        var regex = "^"
        var characters = Array(pattern)[...]
        while let character = characters.popFirst() {
            switch character {
            case "*":
                if characters.first == "*" {
                    characters.removeFirst()
                    if characters.first == "/" {
                        characters.removeFirst()
                        regex += "(?:.*/)?"
                    } else {
                        regex += ".*"
                    }
                } else {
                    regex += "[^/]*"
                }
            case "?":
                regex += "[^/]"
            default:
                regex += Pattern.escaped(String(character))
            }
        }
        return try? Pattern(regex + "$")
    }

    /// `/ci/a.yml`, `./ci/a.yml` and `ci//a.yml` all name `ci/a.yml`.
    static func normalize(_ path: String) -> String {
        path.split(separator: "/").filter { $0 != "." && !$0.isEmpty }.joined(separator: "/")
    }
}
