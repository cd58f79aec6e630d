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
        var best: (candidate: CandidateList.Candidate, distance: Int, source: Int)?
        query.withUnsafeBufferPointer { query in
            for (sourceIndex, source) in sources.enumerated() {
                for length in max(1, query.count - limit)...(query.count + limit) {
                    for candidate in source.byLength[length] ?? [] {
                        guard let distance = source.withNormalized(candidate, { NameDistance.distance(query, $0, limit: limit) }),
                              distance > 0 else { continue }
                        if let best, (best.distance, best.source, best.candidate.rank) <= (distance, sourceIndex, candidate.rank) { continue }
                        best = (candidate, distance, sourceIndex)
                    }
                }
            }
        }
        return best.map { sources[$0.source].written($0.candidate) }
    }

    /// Names normalized for one registry, by length, in their given order. The names, as written
    /// and normalized, lie end to end in two buffers: an array and a string for each of a shipped
    /// list's 15,000 names made reading it 26 million instructions, on the path of every
    /// pipeline whose rules suggest a name.
    struct CandidateList: Sendable {
        struct Candidate: Sendable {
            /// Where the name lies in `normalizedBytes` and, as written, in `writtenBytes`.
            var normalized: Range<Int>
            var written: Range<Int>
            /// Its place in the given order.
            var rank: Int
        }

        private(set) var byLength: [Int: [Candidate]] = [:]
        private var normalizedBytes: [UInt8] = []
        private var writtenBytes: [UInt8] = []

        init(names: [String], registry: PackageRegistry) {
            for (rank, name) in names.enumerated() {
                var name = name
                name.withUTF8 { add($0, rank: rank, registry: registry) }
            }
        }

        /// The names of a list file: one per line, blank lines and `#` comments skipped.
        init(listFile data: Data, registry: PackageRegistry) {
            normalizedBytes.reserveCapacity(data.count)
            writtenBytes.reserveCapacity(data.count)
            data.withUnsafeBytes { raw in
                let bytes = raw.bindMemory(to: UInt8.self)
                var start = 0
                var rank = 0
                for index in 0...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: "\n") {
                    if index > start && bytes[start] != UInt8(ascii: "#") {
                        add(UnsafeBufferPointer(rebasing: bytes[start..<index]), rank: rank, registry: registry)
                        rank += 1
                    }
                    start = index + 1
                }
            }
        }

        private mutating func add(_ written: UnsafeBufferPointer<UInt8>, rank: Int, registry: PackageRegistry) {
            let start = normalizedBytes.count
            registry.appendNormalized(written, to: &normalizedBytes)
            guard normalizedBytes.count > start else { return }
            let writtenStart = writtenBytes.count
            writtenBytes.append(contentsOf: written)
            byLength[normalizedBytes.count - start, default: []].append(
                Candidate(normalized: start..<normalizedBytes.count, written: writtenStart..<writtenBytes.count, rank: rank))
        }

        func withNormalized<Result>(_ candidate: Candidate, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
            normalizedBytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[candidate.normalized])) }
        }

        /// The name as the list or the pipeline wrote it.
        func written(_ candidate: Candidate) -> String {
            String(decoding: writtenBytes[candidate.written], as: UTF8.self)
        }

        /// Whether the list holds the name. Asked once per suggestion, so a walk of one length's
        /// names replaces a set of all 15,000 that every process paid to hash.
        func contains(_ normalized: [UInt8]) -> Bool {
            byLength[normalized.count]?.contains { normalizedBytes[$0.normalized].elementsEqual(normalized) } ?? false
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
            let list = CandidateList(listFile: data, registry: registry)
            lock.withLock { loaded[key] = list }
            return list
        }
    }
}
