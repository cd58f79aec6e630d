import Foundation
import LogDxRules

/// Suggests the real package name a misspelt one was meant to be: the closest name seen elsewhere
/// in the pipeline (installed or required by another job or step) or in the registry's shipped
/// list of most used names, within a few edits that depend on the name's length.
///
/// The candidates are normalized once and kept by length: a pipeline of a thousand jobs renders
/// hundreds of suggestions, and each compares only the names within its allowed edits of length.
/// The shipped lists (15,000 names) are read once per process, not once per pipeline: a scan of
/// many small pipelines spent a twentieth of its time reading them again.
public struct NearestPackageName: Sendable {
    public let registry: PackageRegistry
    /// The pipeline's names, then each list's, in the order a tie is decided: the pipeline's names
    /// win over the lists, a list's more used names over its others.
    private let sources: [CandidateList]

    /// `pipelineNames` are names from the pipeline's events, as written; `listFiles` the
    /// `data/<registry>-names.txt` files of the rule sources, most used first in each.
    public init(pipelineNames: [String], listFiles: [RuleFile], registry: PackageRegistry) {
        self.registry = registry
        sources = [CandidateList(names: pipelineNames, registry: registry)]
            + listFiles.compactMap { Self.lists.list(file: $0, registry: registry) }
    }

    /// The list files of `registry` that the rule sources ship (the built-in set has its own).
    public static func listFiles(for registry: PackageRegistry, in sources: [RuleSource]) -> [RuleFile] {
        sources.compactMap { $0.file(registry.dataFile) }
    }

    /// The suggestion for `name`, or nil when none is close enough, or when `name` itself is a
    /// well-known name (then the name is right and something else is wrong: a version, an index).
    /// The name itself is among the pipeline's names (the failing line names it), so an exact
    /// match there means nothing.
    public func suggestion(for name: String) -> String? {
        let query = registry.normalizedBytes(name)
        let limit = NameDistance.allowedEdits(forLength: query.count)
        guard limit > 0, !sources.dropFirst().contains(where: { $0.contains(query) }) else { return nil }
        var best: (display: String, distance: Int, source: Int, rank: Int)?
        for (sourceIndex, source) in sources.enumerated() {
            for length in max(1, query.count - limit)...(query.count + limit) {
                for candidate in source.byLength[length] ?? [] {
                    guard let distance = NameDistance.distance(query, candidate.normalized, limit: limit), distance > 0 else { continue }
                    if let best, (best.distance, best.source, best.rank) <= (distance, sourceIndex, candidate.rank) { continue }
                    best = (candidate.display, distance, sourceIndex, candidate.rank)
                }
            }
        }
        return best?.display
    }

    /// Names normalized for one registry, by length, in their given order.
    struct CandidateList: Sendable {
        struct Candidate: Sendable {
            var normalized: [UInt8]
            var display: String
            /// Its place in the given order.
            var rank: Int
        }

        var byLength: [Int: [Candidate]] = [:]

        init(names: [String], registry: PackageRegistry) {
            for (rank, name) in names.enumerated() {
                let normalized = registry.normalizedBytes(name)
                guard !normalized.isEmpty else { continue }
                byLength[normalized.count, default: []].append(Candidate(normalized: normalized, display: name, rank: rank))
            }
        }

        /// Whether the list holds the name. Asked once per suggestion, so a walk of one length's
        /// names replaces a set of all 15,000 that every process paid to hash.
        func contains(_ normalized: [UInt8]) -> Bool {
            byLength[normalized.count]?.contains { $0.normalized == normalized } ?? false
        }
    }

    /// The shipped lists, read and normalized once per process.
    private static let lists = ListCache()

    private final class ListCache: @unchecked Sendable {
        // SAFETY (for @unchecked Sendable): `loaded` is read and written only under `lock`.
        private let lock = NSLock()
        private var loaded: [String: CandidateList] = [:]

        func list(file: RuleFile, registry: PackageRegistry) -> CandidateList? {
            let key = registry.rawValue + "\u{0}" + file.path
            if let known = lock.withLock({ loaded[key] }) { return known }
            guard let data = file.data() else { return nil }
            let list = CandidateList(names: Self.names(in: data), registry: registry)
            lock.withLock { loaded[key] = list }
            return list
        }

        /// The names of a list file: one per line, blank lines and `#` comments skipped. Walked
        /// as bytes; `Data.split` cost three thousand instructions a line.
        static func names(in data: Data) -> [String] {
            data.withUnsafeBytes { raw in
                let bytes = raw.bindMemory(to: UInt8.self)
                var names: [String] = []
                var start = 0
                for index in 0...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: "\n") {
                    if index > start && bytes[start] != UInt8(ascii: "#") {
                        names.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
                    }
                    start = index + 1
                }
                return names
            }
        }
    }
}
