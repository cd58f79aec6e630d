import Foundation
import PCRE2
import Vectorscan
import LogDxRedaction
import LogDxRules

/// Tells which line definitions can match a line, so that PCRE2 runs only those (for the match and
/// its captures).
///
/// Every pattern goes into one Vectorscan database: exactly where libhs can match it, in prefilter
/// mode (a superset of its matches) where it cannot. A pattern libhs refuses even then falls back
/// to the literal automaton over its required literals, or runs on every line when it has none.
/// PCRE2 confirms each candidate, so the prefilter decides only how much work is done, never which
/// events come out.
package final class EventPrefilter: Sendable {
    /// `.literals` is the earlier engine, kept for the test that compares the two.
    package enum Engine: Sendable {
        case vectorscan
        case literals
    }

    /// How the definitions are filtered, for reports and tests.
    package struct Coverage: Sendable, Equatable {
        package var exact = 0
        package var prefilterMode = 0
        package var literals = 0
        package var everyLine = 0
    }

    /// Reports definition indices as ids; nil when no pattern could go in.
    let database: Database?
    /// The definitions in the database, for the case a scan fails: they then all run.
    private let inDatabase: [Int]
    /// Reports, for each literal found, the index of the definition it belongs to.
    private let literals: AhoCorasick
    /// Definitions nothing can filter: they run on every line.
    package let unfiltered: [Int]
    package let coverage: Coverage

    init(_ definitions: [EventDefinition], engine: Engine) {
        var inLiterals: [Int] = []
        var coverage = Coverage()
        var compiled: CompiledDatabase?
        if engine == .vectorscan {
            compiled = Self.shared.database(for: definitions)
            inLiterals = compiled?.rejected ?? Array(definitions.indices)
            coverage.exact = compiled?.exact ?? 0
            coverage.prefilterMode = compiled?.prefilterMode ?? 0
        } else {
            inLiterals = Array(definitions.indices)
        }
        database = compiled?.database
        inDatabase = compiled?.included ?? []
        var words: [[UInt8]] = []
        var owners: [Int] = []
        var always: [Int] = []
        for index in inLiterals {
            let definition = definitions[index]
            if definition.literals.isEmpty {
                always.append(index)
            } else {
                coverage.literals += 1
            }
            for literal in definition.literals {
                words.append(Array(literal.utf8))
                owners.append(index)
            }
        }
        coverage.everyLine = always.count
        literals = AhoCorasick(words, ids: owners)
        unfiltered = always
        self.coverage = coverage
    }

    /// Scratch for one tokenizer's scans; nil without a database.
    package func makeScratch() -> Scratch? {
        try? database?.makeScratch()
    }

    /// Calls `found` with the index of every definition that may match `text` (valid UTF-8), some
    /// more than once; `unfiltered` are not included.
    @inline(__always)
    package func forEachCandidate(in text: UnsafeBufferPointer<UInt8>, scratch: Scratch?, _ found: (Int) -> Void) {
        if database != nil {
            var scanned = false
            if let scratch {
                scanned = (try? scratch.scan(text) { id, _ in
                    found(Int(id))
                    return true
                }) != nil
            }
            // Not expected to happen; if it does, a line must not lose its events.
            if !scanned { inDatabase.forEach(found) }
        }
        literals.scan(text, found)
    }

    /// The compile flags matching how PCRE2 runs the pattern: UTF-8 without Unicode properties
    /// (`\w`, `\d` and `\b` are ASCII in both), one report per line is all the tokenizer needs.
    static func expression(for definition: EventDefinition, id: Int) -> Vectorscan.Expression {
        var flags: Vectorscan.Expression.Flags = [.utf8, .singleMatch]
        if definition.pattern.options.contains(.caseInsensitive) { flags.insert(.caseless) }
        return Vectorscan.Expression(definition.pattern.source, id: UInt32(id), flags: flags)
    }

    /// One database per distinct pattern list: Vectorscan compiles in tens to hundreds of
    /// milliseconds, and a process may build many tokenizers over the same rules.
    package static let shared = PrefilterDatabases()
}
