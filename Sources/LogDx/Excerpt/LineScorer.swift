/// How much a line looks like the reason a job failed, from its words alone: error words and tool
/// error prefixes raise it; progress, download, timing and "0 errors" lines lower it. One
/// Aho-Corasick pass per line, whatever the number of words.
struct LineScorer {
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
        ("--fail", -2), ("ignore-errors", -4), ("-e ", 0),
    ]

    /// Lines a CI writes after every failure: they mark the end, not the cause.
    static let footers = [
        "error: job failed", "process completed with exit code", "build step", "finished: failure",
        "done. your build exited with", "the command \"", "marked build as failure", "script returned exit code",
    ]

    private static let automaton = AhoCorasick(weights.map { Array($0.0.utf8) } + footers.map { Array($0.utf8) })

    struct Score {
        var words: Int
        var isFooter: Bool
    }

    static func score(_ text: UnsafeBufferPointer<UInt8>) -> Score {
        var total = 0
        var footer = false
        var seen: UInt64 = 0
        var seenHigh: Set<Int> = []
        automaton.scan(text) { id in
            if id >= weights.count {
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
            total += weights[id].1
        }
        return Score(words: total, isFooter: footer)
    }

    /// Stack frames and indented continuations belong to the error above them.
    static func isContinuation(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < text.count, text[i] == 0x20 || text[i] == 0x09 { i += 1 }
        if i >= 2 && i < text.count { return true }
        let rest = UnsafeBufferPointer(rebasing: text[i...])
        return rest.starts(with: "at ".utf8) || rest.starts(with: "File \"".utf8) || rest.starts(with: "Caused by".utf8)
            || rest.starts(with: "...".utf8) || rest.starts(with: "E ".utf8) || rest.starts(with: "> ".utf8)
    }
}
