import Foundation
import Vectorscan

/// libhs running one definition's pattern itself (exactly, or in prefilter mode where it cannot),
/// for a definition the prefilter finds by its literals. A line holding the literals reaches
/// PCRE2 even when the pattern cannot match it, and a pattern that backtracks badly can spend
/// PCRE2's whole match limit on such a line; once that has happened in a tokenizer, its lines
/// are first asked of this automaton, which rejects them without backtracking, as the
/// pattern-only prefilter did.
package struct PatternRecheck {
    /// Holds the database it scans with.
    private let scratch: Scratch

    /// Nil when libhs refuses the pattern even in prefilter mode: PCRE2 alone then decides, as
    /// it did before for such patterns.
    package init?(_ expression: Vectorscan.Expression) {
        guard let database = PrefilterDatabases.compile([expression]).database,
              let scratch = try? database.makeScratch() else { return nil }
        self.scratch = scratch
    }

    /// Whether the pattern can match `text`; true when the scan fails, so PCRE2 decides.
    package func mayMatch(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var found = false
        do throws(VectorscanError) {
            try scratch.scan(text) { _, _ in
                found = true
                return false
            }
        } catch {
            return true
        }
        return found
    }
}
