import Vectorscan
import LogDxRedaction

/// One tokenizer's own view of an `EventPrefilter`, for the per-line scan. The prefilter is shared
/// by every tokenizer of a process; reaching it on each line retained and released it, and its
/// reference count shares a cache line with the fields each line reads, so two cores reading logs
/// at once kept taking that line from each other (the loads of those fields were half the
/// tokenizer's own time). The scanner holds copies in buffers of its own and a scratch of its own.
package struct PrefilterScanner {
    private let scratch: Scratch?
    /// `scratch`, reached without a retain and release per line (`scratch` owns it).
    private let scratchReference: Unmanaged<Scratch>?
    private let hasDatabase: Bool
    /// The definitions in the database, all reported when a scan fails.
    private let inDatabase: [Int]
    private let literals: AhoCorasick?
    private let companionBase: Int
    private let companionCount: Int
    /// What libhs reported for the line.
    private let reported = MatchIDBuffer()
    /// What libhs reported for a line with more ids than `reported` holds, kept for its capacity.
    private var overflow: [UInt32] = []

    init(database: Database?, inDatabase: [Int], literals: AhoCorasick?, companionBase: Int, companionCount: Int) {
        scratch = try? database?.makeScratch()
        scratchReference = scratch.map { Unmanaged.passUnretained($0) }
        hasDatabase = database != nil
        self.inDatabase = inDatabase.withUnsafeBufferPointer { Array($0) }
        self.literals = literals
        self.companionBase = companionBase
        self.companionCount = companionCount
    }

    /// Whether the scan has a libhs database: false when libhs is missing or took no pattern.
    package var usesVectorscan: Bool { scratch != nil }

    /// Calls `found` with the index of every definition that may match `text` (valid UTF-8), some
    /// more than once (the prefilter's `unfiltered` are not included), and collects the companion
    /// literals the line holds; returns whether `companions` is complete (false without
    /// companions or when the scan failed).
    @inline(__always)
    package mutating func forEachCandidate(
        in text: UnsafeBufferPointer<UInt8>, companions: inout LiteralHits, _ found: (Int) -> Void
    ) -> Bool {
        var scanned = false
        if hasDatabase {
            if let scratchReference {
                let base = companionBase
                let fitted: Int?
                do {
                    fitted = try scratchReference._withUnsafeGuaranteedRef { try $0.scan(text, into: reported.ids) }
                    scanned = true
                } catch {
                    fitted = nil
                }
                if let fitted {
                    Self.report(reported.ids[0..<fitted], base: base, companions: &companions, found)
                } else if scanned {
                    overflow.removeAll(keepingCapacity: true)
                    scanned = scratchReference._withUnsafeGuaranteedRef { (try? $0.scan(text, appendingIDsTo: &overflow)) != nil }
                    Self.report(overflow, base: base, companions: &companions, found)
                }
            }
            // Not expected to happen; if it does, a line must not lose its events.
            if !scanned { inDatabase.forEach(found) }
        }
        literals?.scan(text, found)
        return scanned && companionCount > 0
    }

    /// Hands each id libhs reported on: a definition's to `found`, a companion literal's to `companions`.
    @inline(__always)
    private static func report(
        _ ids: some Sequence<UInt32>, base: Int, companions: inout LiteralHits, _ found: (Int) -> Void
    ) {
        for id in ids {
            let index = Int(id)
            if index < base { found(index) } else { companions.insert(index - base) }
        }
    }
}
