import Foundation
import LogDxRules

/// Suggests the real package name a misspelt one was meant to be: the closest name seen elsewhere
/// in the pipeline (installed or required by another job or step) or in the registry's shipped
/// list of most used names, within a few edits that depend on the name's length.
///
/// Only the handful of names a diagnosis renders are looked up, and each lookup compares lengths
/// before anything else, so a list of 15,000 names costs one pass of cheap checks.
public struct NearestPackageName: Sendable {
    /// Names from the pipeline's events, as written.
    public var pipelineNames: [String]
    /// `Rules/data/<registry>-names.txt` files to read, most used first in each.
    public var listFiles: [String]

    public init(pipelineNames: [String], listFiles: [String]) {
        self.pipelineNames = pipelineNames
        self.listFiles = listFiles
    }

    /// The list files of `registry` that the rule folders ship.
    public static func listFiles(for registry: PackageRegistry, in directories: [String]) -> [String] {
        directories.map { ($0 as NSString).appendingPathComponent(registry.dataFile) }
            .filter { FileManager.default.isReadableFile(atPath: $0) }
    }

    /// The suggestion for `name`, or nil when none is close enough, or when `name` itself is a
    /// well-known name (then the name is right and something else is wrong: a version, an index).
    public func suggestion(for name: String, in registry: PackageRegistry) -> String? {
        let query = Array(registry.normalized(name).utf8)
        let limit = NameDistance.allowedEdits(forLength: query.count)
        guard limit > 0 else { return nil }
        struct Best {
            package var name: String
            package var distance: Int
        }
        var best: Best?
        func consider(_ candidate: [UInt8], display: () -> String) -> Bool {
            guard abs(candidate.count - query.count) <= limit,
                  let distance = NameDistance.distance(query, candidate, limit: limit) else { return false }
            if distance == 0 { return true }
            if let best, best.distance <= distance { return false }
            best = Best(name: display(), distance: distance)
            return false
        }
        // Names seen in the pipeline come first: on a tie they win over the list. The name
        // itself is there too (the failing line names it), so an exact match here means nothing.
        for seen in pipelineNames {
            let normalized = registry.normalized(seen)
            _ = consider(Array(normalized.utf8)) { seen }
        }
        for file in listFiles {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            var exact = false
            data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                var start = 0
                let bytes = raw.bindMemory(to: UInt8.self)
                while start < bytes.count, !exact {
                    var end = start
                    while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
                    let length = end - start
                    if length > 0, bytes[start] != UInt8(ascii: "#"), abs(length - query.count) <= limit {
                        let line = Array(bytes[start..<end])
                        let normalized = Array(registry.normalized(String(decoding: line, as: UTF8.self)).utf8)
                        exact = consider(normalized) { String(decoding: line, as: UTF8.self) }
                    }
                    start = end + 1
                }
            }
            // A name the registry's most used list holds is not a typo.
            if exact { return nil }
        }
        return best?.name
    }
}
