import Foundation
import LogDxRules

/// Suggests the real package name a misspelt one was meant to be: the closest name seen elsewhere
/// in the pipeline (installed or required by another job or step) or in the registry's shipped
/// list of most used names, within a few edits that depend on the name's length.
///
/// The candidates are normalized and read once, when the finder is made, and kept by length: a
/// pipeline of a thousand jobs renders hundreds of suggestions, and each only compares the names
/// within its few allowed edits of length.
public struct NearestPackageName: Sendable {
    public let registry: PackageRegistry
    /// Candidates by normalized length, each list in the order a tie is decided: the pipeline's
    /// names first (they win over the list), then each list file's, most used first.
    private let candidatesByLength: [Int: [Candidate]]
    /// Every normalized name of the shipped lists: a name they hold is not a typo.
    private let listed: Set<[UInt8]>

    private struct Candidate: Sendable {
        var normalized: [UInt8]
        var display: String
        var rank: Int
    }

    /// `pipelineNames` are names from the pipeline's events, as written; `listFiles` the
    /// `Rules/data/<registry>-names.txt` files to read, most used first in each.
    public init(pipelineNames: [String], listFiles: [String], registry: PackageRegistry) {
        self.registry = registry
        var byLength: [Int: [Candidate]] = [:]
        var listed: Set<[UInt8]> = []
        var rank = 0
        func add(_ display: String, fromList: Bool) {
            let normalized = Array(registry.normalized(display).utf8)
            guard !normalized.isEmpty else { return }
            if fromList { listed.insert(normalized) }
            byLength[normalized.count, default: []].append(Candidate(normalized: normalized, display: display, rank: rank))
            rank += 1
        }
        for name in pipelineNames { add(name, fromList: false) }
        for file in listFiles {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            for line in data.split(separator: UInt8(ascii: "\n")) where line.first != UInt8(ascii: "#") {
                add(String(decoding: line, as: UTF8.self), fromList: true)
            }
        }
        candidatesByLength = byLength
        self.listed = listed
    }

    /// The list files of `registry` that the rule folders ship.
    public static func listFiles(for registry: PackageRegistry, in directories: [String]) -> [String] {
        directories.map { ($0 as NSString).appendingPathComponent(registry.dataFile) }
            .filter { FileManager.default.isReadableFile(atPath: $0) }
    }

    /// The suggestion for `name`, or nil when none is close enough, or when `name` itself is a
    /// well-known name (then the name is right and something else is wrong: a version, an index).
    /// The name itself is among the pipeline's names (the failing line names it), so an exact
    /// match there means nothing.
    public func suggestion(for name: String) -> String? {
        let query = Array(registry.normalized(name).utf8)
        let limit = NameDistance.allowedEdits(forLength: query.count)
        guard limit > 0, !listed.contains(query) else { return nil }
        var best: (candidate: Candidate, distance: Int)?
        for length in max(1, query.count - limit)...(query.count + limit) {
            for candidate in candidatesByLength[length] ?? [] {
                guard let distance = NameDistance.distance(query, candidate.normalized, limit: limit), distance > 0 else { continue }
                if let best, (best.distance, best.candidate.rank) <= (distance, candidate.rank) { continue }
                best = (candidate, distance)
            }
        }
        return best?.candidate.display
    }
}
