import Foundation
import LogDxBuiltInRules

/// Where rule files come from: the built-in set compiled into the binary, or a folder on disk
/// (`--rules DIR`, or `LOGDX_RULES_DIR` in place of the built-in set). Everything that reads rule
/// folders (the loader, `rules lint`, a scan's rules version, the package-name lists) reads a
/// source, so the built-in set and a folder go through the same code.
public enum RuleSource: Sendable, Hashable, Codable, CustomStringConvertible {
    case builtIn
    case folder(String)

    /// How file paths of the built-in set begin.
    public static let builtInPrefix = "builtin:"

    public var description: String {
        switch self {
        case .builtIn: return "the built-in rules"
        case .folder(let path): return path
        }
    }

    /// The folder on disk, for a folder source.
    public var folder: String? {
        if case .folder(let path) = self { return path }
        return nil
    }

    /// The rule and event files (`.yaml`, `.yml`), sorted by relative path.
    public func yamlFiles() -> [RuleFile] {
        files().filter { $0.relativePath.hasSuffix(".yaml") || $0.relativePath.hasSuffix(".yml") }
    }

    /// The file at `relativePath` (`data/pypi-names.txt`, `schema/rule.schema.json`), if the
    /// source has it.
    public func file(_ relativePath: String) -> RuleFile? {
        switch self {
        case .builtIn:
            return Self.builtInIndex[relativePath].map {
                RuleFile(relativePath: relativePath, path: Self.builtInPrefix + relativePath, embedded: $0)
            }
        case .folder(let directory):
            let path = (directory as NSString).appendingPathComponent(relativePath)
            guard FileManager.default.isReadableFile(atPath: path) else { return nil }
            return RuleFile(relativePath: relativePath, path: path, embedded: nil)
        }
    }

    /// Whether both sources hold the same rule and event files, path for path and byte for byte:
    /// a checkout's `Rules/` given with `--rules` is then the built-in set again, not a second one.
    public func hasSameRuleFiles(as other: RuleSource) -> Bool {
        let mine = yamlFiles()
        let theirs = other.yamlFiles()
        guard mine.map(\.relativePath) == theirs.map(\.relativePath) else { return false }
        return zip(mine, theirs).allSatisfy { pair in
            guard let left = pair.0.data(), let right = pair.1.data() else { return false }
            return left == right
        }
    }

    /// Every file of the source (rules, events, schemas, name lists), sorted by relative path;
    /// for a folder, its regular files outside hidden files and folders, as the build embeds them
    /// (an editor's swap file is no rule).
    public func files() -> [RuleFile] {
        switch self {
        case .builtIn:
            return BuiltInRuleFiles.all.map {
                RuleFile(relativePath: $0.path, path: Self.builtInPrefix + $0.path, embedded: $0.text)
            }
        case .folder(let directory):
            guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
            var files: [RuleFile] = []
            while let relative = enumerator.nextObject() as? String {
                if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
                let path = (directory as NSString).appendingPathComponent(relative)
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
                files.append(RuleFile(relativePath: relative, path: path, embedded: nil))
            }
            return files.sorted { $0.relativePath < $1.relativePath }
        }
    }

    private static let builtInIndex: [String: String] = Dictionary(
        BuiltInRuleFiles.all.map { ($0.path, $0.text) }, uniquingKeysWith: { first, _ in first })
}
