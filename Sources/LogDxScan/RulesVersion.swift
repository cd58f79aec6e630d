import Foundation
import LogDx

/// Identifies the rules a pipeline was diagnosed with: a hash over every rule and event file's
/// path inside its source and contents. A rescan with other rules diagnoses again; with the same,
/// it skips. The built-in set and the checkout's `Rules/` it was embedded from hash the same.
public enum RulesVersion {
    public static func of(_ rules: RuleSet) -> String {
        var hasher = ContentHash()
        for source in rules.sources {
            for file in source.yamlFiles() {
                var bytes = Array(file.relativePath.utf8)
                bytes.append(0)
                bytes += file.data().map { Array($0) } ?? []
                bytes.append(0)
                bytes.withUnsafeBytes { hasher.update($0) }
            }
        }
        // The engine's version changes what the same rules produce, so it is part of the version.
        Array(LogDxVersion.current.utf8).withUnsafeBytes { hasher.update($0) }
        return String(ContentHash.hex(hasher.finish()).dropFirst("xxh64:".count))
    }
}
