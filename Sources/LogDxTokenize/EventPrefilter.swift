import Foundation
import PCRE2
import Vectorscan
import LogDxRedaction
import LogDxRules

/// Tells which line definitions can match a line, so that PCRE2 runs only those (for the match and
/// its captures).
///
/// Every pattern goes into one Vectorscan database. A pattern with required literals (one per
/// top-level alternative, `RequiredLiterals`) goes in as those literals: a line without them
/// cannot match, and libhs finds hundreds of literals in one vectorised pass where the patterns
/// themselves (most anchored at the line start, with classes before their first literal) cost it
/// twice the time; PCRE2 then confirms the few lines that hold one. A pattern without literals
/// goes in exactly where libhs can match it, in prefilter mode (a superset of its matches) where
/// it cannot. A pattern libhs refuses even then falls back to the literal automaton over its
/// required literals, or runs on every line when it has none. PCRE2 confirms each candidate, so
/// the prefilter decides only how much work is done, never which events come out.
package final class EventPrefilter: Sendable {
    /// `.literals` is the earlier engine, kept for the test that compares the two.
    package enum Engine: Sendable {
        case vectorscan
        case literals
    }

    /// How the definitions are filtered, for reports and tests.
    package struct Coverage: Sendable, Equatable {
        /// In the database as their required literals.
        package var literalsInDatabase = 0
        package var exact = 0
        package var prefilterMode = 0
        package var literals = 0
        package var everyLine = 0
    }

    /// Reports definition indices as ids; nil when no pattern could go in.
    let database: Database?
    /// The definitions in the database, for the case a scan fails: they then all run.
    private let inDatabase: [Int]
    /// Reports, for each literal found, the index of the definition it belongs to; nil when no
    /// definition needs it (an empty automaton still walks every byte of every line).
    private let literals: AhoCorasick?
    /// Definitions nothing can filter: they run on every line.
    package let unfiltered: [Int]
    /// The definitions, and which of them are in the database as their literals, for `recheck`.
    private let definitions: [EventDefinition]
    private let foundByLiterals: Set<Int>
    package let coverage: Coverage
    /// How many companion literals the database reports after the definitions (their ids follow
    /// the definitions'); 0 when there are none or libhs did not take them all.
    package let companionCount: Int
    /// The first companion literal's id: the number of definitions.
    private let companionBase: Int

    /// - Parameter companions: literals found in the same pass and reported apart (the excerpt
    ///   scorer's words), matched as `LineScorer` matches them: ASCII case-insensitively, once a
    ///   line. One scan of a line then serves the tokenizer and the scorer.
    init(_ definitions: [EventDefinition], engine: Engine, companions: [[UInt8]] = []) {
        var inLiterals: [Int] = []
        var coverage = Coverage()
        var compiled: CompiledDatabase?
        var companionCount = 0
        var foundByLiterals: Set<Int> = []
        if engine == .vectorscan {
            let companionExpressions = companions.count <= LiteralHits.capacity ? companions.enumerated().map { offset, literal in
                Self.literalExpression(literal, id: definitions.count + offset)
            } : []
            let definitionExpressions = Self.expressions(for: definitions)
            // Literals compile exactly: the exact count is of the patterns that went in exactly.
            let literalExpressions = definitions.filter(Self.goesInAsLiterals).reduce(0) { $0 + $1.literals.count }
            let database = Self.shared.database(for: definitionExpressions + companionExpressions)
            // A companion libhs could not take would go unreported: then none is trusted, and the
            // scorer scans for its words itself.
            let companionsIn = !companionExpressions.isEmpty && database.rejected.allSatisfy { $0 < definitions.count }
            companionCount = companionsIn ? companionExpressions.count : 0
            compiled = CompiledDatabase(
                database: database.database, included: database.included.filter { $0 < definitions.count },
                rejected: database.rejected.filter { $0 < definitions.count },
                exact: database.exact - (companionsIn ? companionExpressions.count : 0), prefilterMode: database.prefilterMode)
            if !companionsIn && !companionExpressions.isEmpty {
                compiled = Self.shared.database(for: definitions)
            }
            inLiterals = compiled?.rejected ?? Array(definitions.indices)
            // A definition's literals go in byte for byte, never refused; were one refused, the
            // definition is among the rejected, which the automaton scans for.
            let rejected = Set(inLiterals)
            foundByLiterals = Set(definitions.indices.filter { !rejected.contains($0) && Self.goesInAsLiterals(definitions[$0]) })
            coverage.literalsInDatabase = foundByLiterals.count
            coverage.exact = max(0, (compiled?.exact ?? 0) - literalExpressions)
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
        literals = words.isEmpty ? nil : AhoCorasick(words, ids: owners)
        unfiltered = always
        self.definitions = definitions
        self.foundByLiterals = foundByLiterals
        self.coverage = coverage
        self.companionCount = compiled?.database == nil ? 0 : companionCount
        companionBase = definitions.count
    }

    /// A literal as libhs matches it byte for byte: each byte as `\xHH` (no byte read as syntax,
    /// no UTF-8 check), ASCII case-insensitive, reported once a scan.
    package static func literalExpression(_ literal: [UInt8], id: Int) -> Vectorscan.Expression {
        // Written byte by byte into one buffer: a string per byte made the prefilter's literals
        // a tenth of the instructions of diagnosing a two-line paste.
        let digits = Array("0123456789abcdef".utf8)
        var source: [UInt8] = []
        source.reserveCapacity(literal.count * 4)
        for byte in literal {
            source += [UInt8(ascii: "\\"), UInt8(ascii: "x"), digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
        }
        return Vectorscan.Expression(String(decoding: source, as: UTF8.self), id: UInt32(id), flags: [.caseless, .singleMatch])
    }

    /// libhs running the pattern of definition `index` by itself, when the database finds that
    /// definition by its literals and libhs takes the pattern; compiled anew on each call (a few
    /// milliseconds), for the rare definition whose PCRE2 runs hit the match limit.
    package func recheck(_ index: Int) -> PatternRecheck? {
        guard foundByLiterals.contains(index) else { return nil }
        return PatternRecheck(Self.expression(for: definitions[index], id: index))
    }

    /// A scanner of the tokenizer's own, for its lines.
    package func makeScanner() -> PrefilterScanner {
        PrefilterScanner(
            database: database, inDatabase: inDatabase, literals: literals, companionBase: companionBase,
            companionCount: companionCount)
    }

    /// What goes into the database for each definition, ids being their positions: its required
    /// literals (`literalExpression`) when it has them, else its pattern (`expression`).
    package static func expressions(for definitions: [EventDefinition]) -> [Vectorscan.Expression] {
        definitions.enumerated().flatMap { offset, definition in
            goesInAsLiterals(definition)
                ? definition.literals.map { literalExpression(Array($0.utf8), id: offset) }
                : [expression(for: definition, id: offset)]
        }
    }

    /// A definition found by its literals: it has some, and they are ASCII. The literals are
    /// lowercased and matched ASCII case-insensitively, which finds every casing of an ASCII
    /// literal but not of another script's (`Ä` in a case-sensitive pattern, lowercased to `ä`).
    package static func goesInAsLiterals(_ definition: EventDefinition) -> Bool {
        !definition.literals.isEmpty && definition.literals.allSatisfy { literal in literal.utf8.allSatisfy { $0 < 0x80 } }
    }

    /// The compile flags matching how PCRE2 runs the pattern: UTF-8 without Unicode properties
    /// (`\w`, `\d` and `\b` are ASCII in both), one report per line is all the tokenizer needs.
    package static func expression(for definition: EventDefinition, id: Int) -> Vectorscan.Expression {
        var flags: Vectorscan.Expression.Flags = [.utf8, .singleMatch]
        if definition.pattern.options.contains(.caseInsensitive) { flags.insert(.caseless) }
        return Vectorscan.Expression(libhsSource(definition.pattern.source), id: UInt32(id), flags: flags)
    }

    /// The pattern as libhs takes it: each branch-reset group `(?|…)` and each named group
    /// (`(?<name>…)`, `(?P<name>…)`, `(?'name'…)`) made a plain group `(?:…)`. libhs knows neither
    /// PCRE's branch reset nor a name used twice (which branch reset allows), and both only number
    /// or name captures, which a prefilter has none of: the text matched is the same, so the
    /// pattern goes into the database instead of leaving a literal scan for every line. Escapes
    /// and character classes are stepped over, so `\(?|` (an optional parenthesis, then an
    /// alternative) stays as it is; look-behinds `(?<=`, `(?<!` are not names.
    package static func libhsSource(_ source: String) -> String {
        let bytes = Array(source.utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        var inClass = false
        func at(_ offset: Int) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                result.append(byte)
                if let next = at(1) { result.append(next) }
                index += 2
                continue
            }
            if inClass {
                if byte == UInt8(ascii: "]") { inClass = false }
                result.append(byte)
                index += 1
                continue
            }
            if byte == UInt8(ascii: "["), let member = singleExcludedCharacter(bytes, classStart: index) {
                // Vectorscan 5.4.9 (Debian's) misses matches on AVX-512 machines when a class that
                // excludes one character, `[^"]+`, runs into the last 64 bytes of a line: its
                // vectorised skip over such a class checks the wrong bytes of the tail
                // (VectorCamp/vectorscan#378, fixed after 5.4.11). A class that excludes two
                // characters is scanned another way; a newline is the second, since a line never
                // holds one, so the class matches exactly the same bytes.
                result.append(contentsOf: "[^".utf8)
                result.append(contentsOf: member)
                result.append(contentsOf: #"\n]"#.utf8)
                index += 2 + member.count + 1
                continue
            }
            if byte == UInt8(ascii: "[") {
                inClass = true
                result.append(byte)
                index += 1
                // A `]` right after `[` or `[^` is a member, not the end.
                if at(0) == UInt8(ascii: "^") { result.append(bytes[index]); index += 1 }
                if at(0) == UInt8(ascii: "]") { result.append(bytes[index]); index += 1 }
                continue
            }
            if byte == UInt8(ascii: "("), at(1) == UInt8(ascii: "?") {
                // Where the group's name ends, or nil when this is no renamable group.
                var nameEnd: UInt8?
                var skip = 0
                switch (at(2), at(3)) {
                case (UInt8(ascii: "|"), _): skip = 3
                case (UInt8(ascii: "P"), UInt8(ascii: "<")): (nameEnd, skip) = (UInt8(ascii: ">"), 4)
                case (UInt8(ascii: "'"), _): (nameEnd, skip) = (UInt8(ascii: "'"), 3)
                case (UInt8(ascii: "<"), let next) where next != UInt8(ascii: "=") && next != UInt8(ascii: "!"):
                    (nameEnd, skip) = (UInt8(ascii: ">"), 3)
                default: break
                }
                if skip > 0 {
                    var after = index + skip
                    if let nameEnd {
                        while after < bytes.count, bytes[after] != nameEnd { after += 1 }
                        after += 1
                    }
                    result.append(contentsOf: "(?:".utf8)
                    index = after
                    continue
                }
            }
            result.append(byte)
            index += 1
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// The one member of a class `[^x]` starting at `classStart`: one character (`"`, `]`, `é`)
    /// or one escaped punctuation character (`\]`, `\\`); nil for any other class.
    private static func singleExcludedCharacter(_ bytes: [UInt8], classStart: Int) -> ArraySlice<UInt8>? {
        let start = classStart + 2
        guard start < bytes.count, bytes[classStart + 1] == UInt8(ascii: "^") else { return nil }
        let length: Int
        switch bytes[start] {
        case UInt8(ascii: "\\"):
            guard start + 1 < bytes.count else { return nil }
            let escaped = bytes[start + 1]
            // `\d`, `\s`, `\x22`, `\n`…: a set or a code, not one punctuation character.
            guard escaped < 0x80, !(escaped >= UInt8(ascii: "0") && escaped <= UInt8(ascii: "9")),
                  !((escaped | 0x20) >= UInt8(ascii: "a") && (escaped | 0x20) <= UInt8(ascii: "z")) else { return nil }
            length = 2
        case 0x00..<0x80: length = 1
        case 0xC0..<0xE0: length = 2
        case 0xE0..<0xF0: length = 3
        default: length = 4
        }
        guard start + length < bytes.count, bytes[start + length] == UInt8(ascii: "]") else { return nil }
        return bytes[start..<(start + length)]
    }

    /// One database per distinct pattern list: Vectorscan compiles in tens to hundreds of
    /// milliseconds, and a process may build many tokenizers over the same rules.
    package static let shared = PrefilterDatabases()
}
