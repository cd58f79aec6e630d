import LogDxIngest
import LogDxRedaction
import LogDxTokenize
import Vectorscan

/// How much a line looks like the reason a job failed, from its words alone: error words and tool
/// error prefixes raise it; progress, download, timing and "0 errors" lines lower it. One
/// multi-literal pass per line, whatever the number of words: Vectorscan's, which finds a
/// hundred and fifty literals several times faster than a byte-at-a-time automaton, and the
/// hand-written Aho-Corasick only where libhs cannot run (a CPU without SSSE3).
package struct LineScorer {
    /// Which multi-literal matcher finds the words; both count the same words (a test compares them).
    package enum Engine {
        case vectorscan
        case automaton
    }

    /// Case-insensitive words and their weights. Positive: evidence of failure; negative: noise.
    static let weights: [(String, Int)] = [
        ("error", 4), ("fatal", 5), ("exception", 4), ("traceback", 5), ("failed", 4), ("failure", 4),
        ("fail:", 4), ("fail ", 2), ("[fail]", 5), ("--- fail", 6), ("not ok", 4), ("panic", 5), ("assert", 4),
        ("expected", 2), ("actual", 1), ("but was", 3), ("cannot ", 3), ("can't ", 2), ("could not", 3),
        ("couldn't", 3), ("unable to", 3), ("not found", 3), ("no such file", 4), ("undefined", 3),
        ("denied", 3), ("refused", 3), ("timed out", 3), ("timeout", 2), ("killed", 3), ("segmentation fault", 6),
        ("core dumped", 5), ("err!", 4), ("error[e", 5), ("error:", 3), ("[error]", 3), ("build failure", 5),
        ("compilation failure", 5), ("errors)", 2), ("missing", 2), ("invalid", 2), ("unexpected", 2),
        ("mismatch", 2), ("conflict", 2), ("does not exist", 3), ("no matching", 3), ("unresolved", 3),
        ("syntaxerror", 5), ("typeerror", 5), ("nameerror", 5), ("importerror", 5), ("modulenotfounderror", 5),
        ("nullpointerexception", 5), ("caused by:", 4), ("✗", 3), ("✖", 3), ("×", 2), ("❌", 3),
        ("exited with", 2), ("exit code", 2), ("exit status", 2), ("non-zero", 2), ("returned 1", 2),
        ("violation", 2), ("warning:", 1), ("is not", 1), ("did not", 2), ("was not", 2),
        // Noise that contains error words, or that is never the reason.
        ("0 errors", -6), ("0 failures", -5), ("failures: 0", -6), ("errors: 0", -6), ("0 failed", -5),
        ("failed: 0", -5), ("error-prone", -4), ("errorprone", -4), ("-werror", -3), ("passed", -2),
        ("downloading", -4), ("downloaded", -4), ("download", -2), ("progress", -3), ("resolving deltas", -6),
        ("receiving objects", -6), ("requirement already satisfied", -6), ("collecting ", -3),
        ("get:", -4), ("unpacking", -4), ("setting up", -4), ("selecting previously", -6), ("preparing to unpack", -6),
        ("deprecated", -3), ("deprecation", -3), ("[info]", -1), ("debug", -2), ("skipped", -2), ("skipping", -2),
        ("fail-fast", -3), ("failsafe", -2), ("on_failure", -3), ("allow_failure", -3), ("errorlevel", -2),
        ("--fail", -2), ("ignore-errors", -4), (".. ok", -6), ("travis_fold:", -8), ("travis_time:", -8),
        ("##[group]", -2), ("section_start:", -4), ("section_end:", -4), ("✓", -6), ("✔", -6), ("[ok]", -4),
        ("exceeded", 3), ("exceeds", 2), ("no rule to make", 4), ("aborted", 3), ("abort", 2), ("stopped", 1),
    ]

    /// Lines a CI or a tool writes after a failure: they announce it, and the cause is usually just
    /// above them.
    static let footers = [
        "error: job failed", "process completed with exit code", "finished: failure", "done. your build exited with",
        "the command \"", "marked build as failure", "script returned exit code", "npm err! code elifecycle",
        "npm err! exit status", "npm err! failed at the", "npm err! this is probably not", "npm err! a complete log",
        "npm error code elifecycle", "npm error command failed", "make: ***", "make[1]: ***", "make[2]: ***",
        "error: command failed with exit code", "exited with 1", "exited with code", "build failed",
        "[error] failed to execute goal", "[error] -> [help 1]", "failed with exit code", "test failed. see above",
        "tests failed", "error: process completed with",
    ]

    private static let words = weights.map { Array($0.0.utf8) } + footers.map { Array($0.utf8) }

    /// The words and footers as literals, in id order: the tokenizer's prefilter finds them in
    /// the same pass as the event patterns (`CompiledEvents(companions:)`), and
    /// `wordScore(of:)` scores what it found.
    package static var literals: [[UInt8]] { words }

    /// Each word's weight by id, for scoring hits without the tuples' strings.
    private static let weightByID = weights.map(\.1)

    /// One for all scorers on all threads (see `AhoCorasick`): a copy per scorer would be kept by
    /// every job's excerpt collector.
    private static let automaton = AhoCorasick(words)

    /// Every word as a byte literal (`\xHH` for each byte, so no byte is read as syntax and no
    /// UTF-8 check is needed), ASCII case-insensitive as the automaton is, reported once per line
    /// (`singleMatch`), which is the once-per-line count the score wants. From the process's and
    /// the disk's database cache: compiling costs milliseconds a short paste should not pay.
    private static let database: Database? = {
        let expressions = words.enumerated().map { id, word in EventPrefilter.literalExpression(word, id: id) }
        let compiled = EventPrefilter.shared.database(for: expressions)
        return compiled.rejected.isEmpty ? compiled.database : nil
    }()

    package struct Score {
        package var words: Int
        package var isFooter: Bool

        /// Adds the bonus for a line that points at code (`file.ext:12:`): the one part of a
        /// score that takes a byte walk of its own, so callers add it only where it can matter.
        package mutating func addSourceLocation(of text: UnsafeBufferPointer<UInt8>) {
            if LineScorer.hasSourceLocation(text) { words += LineScorer.sourceLocationBonus }
        }
    }

    static let sourceLocationBonus = 2

    /// This scorer's scan space; libhs needs one per thread, and a scorer lives on one.
    private let space: ScanSpace

    /// Made on the first line the scorer scans itself: most lines come with the words the
    /// tokenizer's scan found, and reading the database back from the cache and making a scratch
    /// was 1.7 M instructions of every start, a fiftieth of a two-line paste that never used it.
    private final class ScanSpace {
        let wantsVectorscan: Bool
        lazy var scratch: Scratch? = wantsVectorscan ? try? LineScorer.database?.makeScratch() : nil
        /// Room for what a scan reports, kept from line to line (`Scratch.scan(_:appendingIDsTo:)`).
        var ids: [UInt32] = []

        init(wantsVectorscan: Bool) {
            self.wantsVectorscan = wantsVectorscan
        }
    }

    package init(engine: Engine = .vectorscan) {
        space = ScanSpace(wantsVectorscan: engine == .vectorscan)
    }

    /// Which engine this scorer got: the automaton when libhs could not make a scratch.
    package var engine: Engine { space.scratch == nil ? .automaton : .vectorscan }

    /// The line's whole score: its words and whether it points at code.
    package func score(_ text: UnsafeBufferPointer<UInt8>) -> Score {
        var score = wordScore(text)
        score.addSourceLocation(of: text)
        return score
    }

    /// The score of the words the tokenizer's scan found in a line (ids as in `literals`): the
    /// same as `wordScore(_:)` of that line, without scanning it again.
    package static func wordScore(of hits: LiteralHits) -> Score {
        var score = Score(words: 0, isFooter: false)
        let weights = weightByID
        hits.forEach { id in
            if id < weights.count { score.words += weights[id] } else { score.isFooter = true }
        }
        return score
    }

    /// The score of the line's words alone.
    package func wordScore(_ text: UnsafeBufferPointer<UInt8>) -> Score {
        var total = 0
        var footer = false
        var seen: UInt64 = 0
        var seenHigh: Set<Int> = []
        func count(_ id: Int) {
            if id >= Self.weights.count {
                footer = true
                return
            }
            // Count each word once per line.
            if id < 64 {
                if seen & (1 << UInt64(id)) != 0 { return }
                seen |= 1 << UInt64(id)
            } else if !seenHigh.insert(id).inserted {
                return
            }
            total += Self.weights[id].1
        }
        let space = space
        let scanned = space.scratch.map { scratch in
            space.ids.removeAll(keepingCapacity: true)
            guard (try? scratch.scan(text, appendingIDsTo: &space.ids)) != nil else { return false }
            for id in space.ids { count(Int(id)) }
            return true
        } ?? false
        if !scanned {
            (total, footer, seen, seenHigh) = (0, false, 0, [])
            Self.automaton.scan(text, count)
        }
        return Score(words: total, isFooter: footer)
    }

    /// `file.ext:12:` or `file.ext(12,` — how compilers, linters and test runners point at code.
    /// Only a `:` or `(` can start one, so memchr finds them instead of a look at every byte
    /// (every line of a job's tail is asked).
    package static func hasSourceLocation(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        hasLocation(after: UInt8(ascii: ":"), in: text) || hasLocation(after: UInt8(ascii: "("), in: text)
    }

    private static func hasLocation(after mark: UInt8, in text: UnsafeBufferPointer<UInt8>) -> Bool {
        var from = 1
        while let i = Bytes.firstIndex(of: mark, in: text, from: from), i + 1 < text.count {
            if isLocation(text, at: i) { return true }
            from = i + 1
        }
        return false
    }

    /// Whether the mark at `i` follows a file's extension and precedes a digit.
    private static func isLocation(_ text: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        guard text[i + 1] >= 0x30 && text[i + 1] <= 0x39 else { return false }
        // Walk back over an extension: letters after a dot.
        var j = i - 1
        var letters = 0
        while j > 0, (text[j] | 0x20) >= 0x61, (text[j] | 0x20) <= 0x7a { j -= 1; letters += 1 }
        return letters >= 1 && letters <= 5 && text[j] == UInt8(ascii: ".") && j > 0 && text[j - 1] != 0x20
    }

    /// Stack frames and indented continuations belong to the error above them.
    static func isContinuation(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < text.count, text[i] == 0x20 || text[i] == 0x09 { i += 1 }
        if i >= 2 && i < text.count { return true }
        guard i < text.count else { return false }
        let rest = UnsafeBufferPointer(rebasing: text[i...])
        // By first byte: asked of every line an excerpt considers, and six generic prefix
        // comparisons each were a percent of a scan of small logs.
        switch rest[0] {
        case UInt8(ascii: "a"): return hasPrefix(rest, "at ")
        case UInt8(ascii: "F"): return hasPrefix(rest, "File \"")
        case UInt8(ascii: "C"): return hasPrefix(rest, "Caused by")
        case UInt8(ascii: "."): return hasPrefix(rest, "...")
        case UInt8(ascii: "E"): return hasPrefix(rest, "E ")
        case UInt8(ascii: ">"): return hasPrefix(rest, "> ")
        default: return false
        }
    }

    private static func hasPrefix(_ bytes: UnsafeBufferPointer<UInt8>, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard bytes.count >= count else { return false }
        return prefix.withUTF8Buffer { wanted in
            for index in 0..<count where bytes[index] != wanted[index] { return false }
            return true
        }
    }
}

