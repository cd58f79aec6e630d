import Foundation
import LogDx

/// Identifies the rules a pipeline was diagnosed with: a hash over every rule and event file's
/// relative path and contents. A rescan with other rules diagnoses again; with the same, it skips.
public enum RulesVersion {
    public static func of(_ rules: RuleSet) -> String {
        var hasher = ContentHash()
        for directory in rules.directories {
            guard let enumerator = FileManager.default.enumerator(atPath: directory) else { continue }
            var files: [String] = []
            while let relative = enumerator.nextObject() as? String {
                guard relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") else { continue }
                if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
                files.append(relative)
            }
            for relative in files.sorted() {
                let bytes = Array(relative.utf8) + [0] + ((FileManager.default.contents(atPath: directory + "/" + relative)).map(Array.init) ?? []) + [0]
                bytes.withUnsafeBytes { hasher.update($0) }
            }
        }
        // The engine's version changes what the same rules produce, so it is part of the version.
        Array(LogDxVersion.current.utf8).withUnsafeBytes { hasher.update($0) }
        return String(ContentHash.hex(hasher.finish()).dropFirst("xxh64:".count))
    }
}
