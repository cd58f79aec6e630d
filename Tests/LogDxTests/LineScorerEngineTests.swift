import Foundation
import Testing
@testable import LogDx
import TestSupport

/// The excerpt scorer finds its words with Vectorscan, and with the Aho-Corasick automaton only
/// where libhs cannot run: both must score every line alike, or an excerpt would depend on the CPU.
@Suite struct LineScorerEngineTests {
    func expectSameScores(_ lines: [[UInt8]]) {
        let vectorscan = LineScorer(engine: .vectorscan)
        let automaton = LineScorer(engine: .automaton)
        // Else both would be the automaton and agree by construction.
        #expect(vectorscan.engine == .vectorscan)
        var differing: [String] = []
        var scored = 0
        for line in lines {
            line.withUnsafeBufferPointer { text in
                let (a, b) = (vectorscan.score(text), automaton.score(text))
                if a.words != 0 || a.isFooter { scored += 1 }
                if a.words != b.words || a.isFooter != b.isFooter {
                    differing.append("\(a.words)/\(b.words) \(String(decoding: line.prefix(120), as: UTF8.self))")
                }
            }
        }
        #expect(differing.isEmpty, "\(differing.count) lines score differently, e.g. \(differing.prefix(3))")
        #expect(scored > 100, "too few scored lines to compare: \(scored)")
    }

    @Test func everyFixtureLineScoresTheSameWithBothEngines() throws {
        var lines: [[UInt8]] = []
        let enumerator = FileManager.default.enumerator(atPath: Repo.fixtures)
        while let name = enumerator?.nextObject() as? String {
            guard name.hasSuffix(".log") || name.hasSuffix(".txt"),
                  let data = FileManager.default.contents(atPath: Repo.fixtures + "/" + name) else { continue }
            lines += data.split(separator: UInt8(ascii: "\n")).map(Array.init)
        }
        #expect(lines.count > 10_000)
        expectSameScores(lines)
    }

    /// The tokenizer's prefilter finds the scorer's words in the same pass as the event patterns;
    /// scored from what it found, every line must score as the scorer's own scan scores it.
    @Test func theTokenizersScanScoresEveryLineAsTheScorerDoes() throws {
        let compiled = CompiledEvents(rules: Repo.builtInRules, kinds: nil, engine: .vectorscan, companions: LineScorer.literals)
        #expect(compiled.prefilter.companionCount == LineScorer.literals.count)
        var tokenizer = Tokenizer(compiled: compiled)
        let scorer = LineScorer(engine: .vectorscan)
        var lines: [[UInt8]] = []
        let enumerator = FileManager.default.enumerator(atPath: Repo.fixtures)
        while let name = enumerator?.nextObject() as? String {
            guard name.hasSuffix(".log"), let data = FileManager.default.contents(atPath: Repo.fixtures + "/" + name) else { continue }
            // Cleaned as ingest cleans them: the tokenizer takes valid UTF-8 only.
            var cleaner = LineCleaner()
            for line in data.split(separator: UInt8(ascii: "\n")) {
                lines.append(Array(line).withUnsafeBufferPointer { Array(cleaner.clean($0)) })
            }
        }
        #expect(lines.count > 10_000)
        var differing: [String] = []
        var found = 0
        for (number, line) in lines.enumerated() {
            line.withUnsafeBufferPointer { text in
                tokenizer.line(job: number % 7, number: number + 1, text: text)
                guard let hits = tokenizer.lastLineCompanions else { return }
                found += 1
                let (shared, own) = (LineScorer.wordScore(of: hits), scorer.wordScore(text))
                if shared.words != own.words || shared.isFooter != own.isFooter {
                    differing.append("\(shared.words)/\(own.words) \(String(decoding: line.prefix(120), as: UTF8.self))")
                }
            }
        }
        // Lines continuing an event are not scanned, so not all; but nearly all.
        #expect(found > lines.count * 9 / 10, "\(found) of \(lines.count) lines came with the tokenizer's words")
        #expect(differing.isEmpty, "\(differing.count) lines score differently, e.g. \(differing.prefix(3))")
    }

    @Test func caseRepeatsAndBytesThatLookLikeSyntax() {
        // Upper case, a word twice (counted once), words with brackets, stars and dots, a footer,
        // multi-byte words, and a line cut inside a multi-byte character.
        let lines = [
            "ERROR: Could not find a version; error again", "make: *** [Makefile:12: all] Error 2",
            "[ERROR] Failed to execute goal", "✗ 3 tests failed ❌", "npm ERR! code ELIFECYCLE", ".. ok",
            "Process completed with exit code 1.", "× build failed", "panic: runtime error",
        ].map { Array($0.utf8) } + [Array("❌".utf8).dropLast()].map(Array.init)
        let scorer = LineScorer(engine: .vectorscan)
        #expect(Array("ERROR error".utf8).withUnsafeBufferPointer { scorer.score($0).words } == 4)
        #expect(Array("Process completed with exit code 1.".utf8).withUnsafeBufferPointer { scorer.score($0).isFooter })
        let vectorscan = lines.map { $0.withUnsafeBufferPointer { scorer.score($0) } }
        let automaton = lines.map { $0.withUnsafeBufferPointer { LineScorer(engine: .automaton).score($0) } }
        #expect(vectorscan.map(\.words) == automaton.map(\.words))
        #expect(vectorscan.map(\.isFooter) == automaton.map(\.isFooter))
    }
}

/// `hasSourceLocation` finds its marks with memchr; it must answer as a look at every byte does,
/// on the locations compilers and test runners print and on lines that only look like them.
@Suite struct SourceLocationTests {
    static func reference(_ text: [UInt8]) -> Bool {
        var i = 1
        while i + 1 < text.count {
            if (text[i] == UInt8(ascii: ":") || text[i] == UInt8(ascii: "(")) && (0x30...0x39).contains(text[i + 1]) {
                var j = i - 1
                var letters = 0
                while j > 0, (0x61...0x7a).contains(text[j] | 0x20) { j -= 1; letters += 1 }
                if letters >= 1 && letters <= 5 && text[j] == UInt8(ascii: ".") && j > 0 && text[j - 1] != 0x20 { return true }
            }
            i += 1
        }
        return false
    }

    static func answer(_ text: [UInt8]) -> Bool {
        text.withUnsafeBufferPointer { LineScorer.hasSourceLocation($0) }
    }

    @Test(arguments: [
        ("src/main.rs:12:5: error[E0425]: cannot find value", true),
        ("  File \"app/models.py\", line 3, in <module>", false),
        ("Program.cs(42,17): error CS1002: ; expected", true),
        ("tests/test_api.py:88: AssertionError", true),
        ("at com.example.App.main(App.java:27)", true),
        ("12:04:55 build started (pid 4021)", false),
        ("see docs at http://localhost:8080/x", false),
        ("file .rs:1", false),
        (":1", false),
        ("", false),
    ])
    func knownLines(line: String, expected: Bool) {
        #expect(Self.answer(Array(line.utf8)) == expected)
        #expect(Self.reference(Array(line.utf8)) == expected)
    }

    @Test func randomLinesAgreeWithALookAtEveryByte() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ab.:(1 Z9x/".utf8)
        for _ in 0..<20_000 {
            let line = (0..<Int.random(in: 0...24, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            #expect(Self.answer(line) == Self.reference(line), "\(String(decoding: line, as: UTF8.self))")
        }
    }
}
