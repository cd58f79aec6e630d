import LogDxIngest
import LogDxModel
import LogDxRedaction
import LogDxTokenize

/// Keeps, while a log streams past, what choosing an excerpt needs — each job's last lines, its
/// best-scoring lines with their neighbours — in memory bounded per job, whatever the log's size.
public struct ExcerptCollector: IngestSink {
    package static let tailSize = 300
    package static let maxHits = 1_500
    static let contextBefore = 2
    static let contextAfter = 4
    /// The longest text an excerpt keeps of a line.
    package static let maxLineBytes = 400

    package struct Stored {
        package var line: Int
        /// The line's bytes until an excerpt shows it (`text(_:)`), for a tail line and a kept
        /// line of up to `rawKeptBytes`: a job's excerpt shows at most twenty of them, and
        /// redacting them all was a tenth of scanning many short logs. A longer kept line is
        /// redacted when kept.
        private var shown: Shown
        /// Empty or only spaces and tabs once redacted and cut: never shown.
        let isBlank: Bool
        var words: Int
        var isFooter: Bool
        var isContinuation: Bool
        var hash: UInt64

        private enum Shown {
            case redacted(Redacted)
            case raw([UInt8])
        }

        init(line: Int, text: Redacted, words: Int, isFooter: Bool, isContinuation: Bool, hash: UInt64) {
            self.line = line
            shown = .redacted(text)
            isBlank = text.value.utf8.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            self.words = words
            self.isFooter = isFooter
            self.isContinuation = isContinuation
            self.hash = hash
        }

        init(line: Int, raw: UnsafeBufferPointer<UInt8>, words: Int, isFooter: Bool, isContinuation: Bool, hash: UInt64) {
            self.line = line
            shown = .raw(Array(raw))
            // What `text(_:)` answers is blank exactly then: a longer line is cut with `…`, and a
            // line of blanks holds no secret to mask.
            isBlank = raw.count <= ExcerptCollector.maxLineBytes
                && raw.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            self.words = words
            self.isFooter = isFooter
            self.isContinuation = isContinuation
            self.hash = hash
        }

        /// The line as an excerpt shows it: redacted, cut at `maxLineBytes`.
        package func text(_ redactor: SecretRedactor) -> Redacted {
            switch shown {
            case .redacted(let text):
                return text
            case .raw(let bytes):
                return bytes.withUnsafeBufferPointer { redactor.redactedPrefix(of: $0, maxBytes: ExcerptCollector.maxLineBytes) }
            }
        }
    }

    struct JobState {
        var tail = TailRing(capacity: ExcerptCollector.tailSize)
        var kept = KeptLines()
        var followUntil = 0
        var hitCount = 0
        var lastLine = 0
        var privateKey = PrivateKeyBlock()
    }

    private var jobs = PerJobState { JobState() }
    private let minimumHitScore = 3
    private let redactor = SecretRedactor()
    private let scorer = LineScorer()

    public init() {}

    public mutating func structural(kind: String, job: Int, line: Int, text: UnsafeBufferPointer<UInt8>, fields: [String: String]) {}

    public mutating func line(job: Int, number: Int, text: UnsafeBufferPointer<UInt8>) {
        line(job: job, number: number, text: text, words: nil)
    }

    /// A line whose scorer words the tokenizer's scan already found (`words`, as ids of
    /// `LineScorer.literals`); nil to look for them here.
    package mutating func line(job: Int, number: Int, text: UnsafeBufferPointer<UInt8>, words: LiteralHits?) {
        var state = jobs.take(job)
        // A private key printed to the log spans many lines that look like nothing in particular:
        // the lines of its block are kept only as a mask.
        if state.privateKey.claims(text) {
            var mask = SecretRedactor.maskBytes
            mask.withUnsafeMutableBufferPointer { processLine(&state, number, UnsafeBufferPointer($0), words: nil) }
        } else {
            processLine(&state, number, text, words: words)
        }
        // Its last use, so moved back, not copied (see `Tokenizer.line`).
        jobs.put(consume state, for: job)
    }

    private func processLine(_ state: inout JobState, _ number: Int, _ text: UnsafeBufferPointer<UInt8>, words: LiteralHits?) {
        let wordScore = words.map(LineScorer.wordScore(of:)) ?? scorer.wordScore(text)
        var lineScore = wordScore
        // Most lines score far from a hit either way; the source-location bonus is looked for only
        // where it decides one, and for lines that are kept.
        var located = false
        if lineScore.words < minimumHitScore && lineScore.words + LineScorer.sourceLocationBonus >= minimumHitScore {
            lineScore.addSourceLocation(of: text)
            located = true
        }
        let isHit = lineScore.words >= minimumHitScore
        state.lastLine = number
        state.tail.append(line: number, text: text, wordScore: wordScore)
        if isHit || number <= state.followUntil {
            if !located { lineScore.addSourceLocation(of: text) }
            let stored = store(number, text, lineScore)
            if isHit {
                state.tail.forEachBeforeNewest(Self.contextBefore) { line, bytes, wordScore in
                    if !state.kept.contains(line: line) { state.kept.keep(store(line, bytes, score(of: bytes, wordScore))) }
                }
                state.followUntil = number + Self.contextAfter
                state.hitCount += 1
            }
            state.kept.keep(stored)
            if state.kept.count > Self.maxHits * (1 + Self.contextBefore + Self.contextAfter) {
                Self.prune(&state)
            }
        }
    }

    /// The whole score of a line read back from the tail, from its word score when the tail has it.
    private func score(of text: UnsafeBufferPointer<UInt8>, _ wordScore: LineScorer.Score?) -> LineScorer.Score {
        Self.score(of: text, wordScore, scorer: scorer)
    }

    private static func score(of text: UnsafeBufferPointer<UInt8>, _ wordScore: LineScorer.Score?, scorer: LineScorer) -> LineScorer.Score {
        guard var score = wordScore else { return scorer.score(text) }
        score.addSourceLocation(of: text)
        return score
    }

    /// A kept line. Excerpts print log lines, which may hold credentials, so it is shown
    /// redacted (`Stored.text(_:)`); the hash is taken from the original bytes so baselines still
    /// compare. A line of up to `rawKeptBytes` keeps its bytes and is redacted only if an excerpt
    /// shows it: a job keeps up to 10,500 lines and shows twenty, and redacting every kept line
    /// as it streamed past was 7% of diagnosing a 10 MB pipeline. A longer line is redacted now,
    /// so what a job keeps stays near `maxLineBytes` a line.
    package func store(_ number: Int, _ text: UnsafeBufferPointer<UInt8>, _ score: LineScorer.Score) -> Stored {
        guard text.count > Self.rawKeptBytes else {
            return Stored(line: number, raw: text, words: score.words, isFooter: score.isFooter,
                          isContinuation: LineScorer.isContinuation(text), hash: VolatileMask.hash(text))
        }
        return Stored(line: number, text: redactor.redactedPrefix(of: text, maxBytes: Self.maxLineBytes), words: score.words,
                      isFooter: score.isFooter, isContinuation: LineScorer.isContinuation(text), hash: VolatileMask.hash(text))
    }

    /// The longest kept line held as bytes until shown: twice what an excerpt shows of a line.
    static let rawKeptBytes = 2 * maxLineBytes

    /// Drops the weakest kept lines when a job has far more error-looking lines than an excerpt can use.
    static func prune(_ state: inout JobState) {
        state.kept.keepBest(maxHits)
    }

    /// Frees what streaming needed once the input is read: the tails keep their lines packed.
    package mutating func compact() {
        jobs.updateEach { $0.tail.compact() }
    }

    /// The lines collected for a job, in line order: the kept lines and the tail.
    package func lines(ofJob job: Int) -> [Stored] {
        lines(ofJob: job, scorer: scorer)
    }

    /// The same, scoring the tail with the given scorer: a scorer's scratch space serves one
    /// thread, so threads reading a finished collector at once each bring their own (and their
    /// own redactor for `Stored.text(_:)`). Reading changes nothing in the collector.
    package func lines(ofJob job: Int, scorer: LineScorer) -> [Stored] {
        guard let state = jobs[job] else { return [] }
        var tail: [Stored] = []
        tail.reserveCapacity(state.tail.count)
        state.tail.forEach { number, text, wordScore in
            guard !state.kept.contains(line: number) else { return }
            let score = Self.score(of: text, wordScore, scorer: scorer)
            tail.append(Stored(line: number, raw: text, words: score.words, isFooter: score.isFooter,
                               isContinuation: LineScorer.isContinuation(text), hash: VolatileMask.hash(text)))
        }
        return state.kept.merged(with: tail)
    }

    package func lastLine(ofJob job: Int) -> Int {
        jobs[job]?.lastLine ?? 0
    }
}
