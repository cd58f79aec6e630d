import Foundation
import Testing
@testable import LogDx
import PCRE2
import Vectorscan

/// libhs, given a pattern as the prefilter hands it over (`EventPrefilter.libhsSource`), matches a
/// line exactly when PCRE2 does, on the shape that Debian's Vectorscan 5.4.9 gets wrong on AVX-512
/// machines: a class excluding one character (`[^"]+`) that runs into the last 64 bytes of a line
/// (VectorCamp/vectorscan#378). PCRE2 is the independent judge; the subjects are generated (a
/// fixed seed, so a failure repeats) around the 64-byte boundaries the bug depends on.
@Suite struct PrefilterAgreesWithPCRE2Tests {
    /// SplitMix64: a few lines, the same sequence on every machine.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
        mutating func text(from alphabet: [Character], count: Int) -> String {
            String((0..<count).map { _ in alphabet[next(alphabet.count)] })
        }
    }

    @Test func aClassExcludingOneCharacterMatchesWhatPCRE2Matches() throws {
        var random = Generator(state: 20_261_206)
        let letters = Array("abcxyz")
        let body = Array("abcdxyz/._-")
        let noise = Array("abcxyz/._-\"() ,:=01")
        var disagreements: [String] = []
        var matched = 0
        let scratch = MatchScratch()
        for _ in 0..<400 {
            let excluded = Array("\"),:=")[random.next(5)]
            let quoted = excluded == ")" ? "\\)" : String(excluded)
            let before = random.text(from: letters, count: random.next(5))
            let after = random.text(from: letters, count: random.next(4))
            let pattern = before + quoted + "[^" + quoted + "]+" + quoted + after
            // Sometimes the closing character is left out, so both answers occur.
            let closing = random.next(4) == 0 ? "" : String(excluded)
            let line = random.text(from: noise, count: random.next(150)) + before + String(excluded)
                + random.text(from: body, count: 1 + random.next(300)) + closing + after
                + random.text(from: noise, count: random.next(70))

            let database = try Database(compiling: [
                Expression(EventPrefilter.libhsSource(pattern), id: 1, flags: [.utf8, .singleMatch]),
            ])
            var libhs = false
            var bytes = Array(line.utf8)
            try bytes.withUnsafeMutableBufferPointer { buffer in
                try database.makeScratch().scan(UnsafeBufferPointer(buffer)) { _, _ in
                    libhs = true
                    return false
                }
            }
            var pcre2 = false
            if case .matched = try Pattern(pattern).firstMatch(in: line, scratch: scratch) { pcre2 = true }
            if pcre2 { matched += 1 }
            if libhs != pcre2 { disagreements.append("\(pattern) on \(line.utf8.count) bytes: libhs \(libhs), PCRE2 \(pcre2)") }
        }
        #expect(disagreements.isEmpty, "\(disagreements.count) of 400 disagree, e.g. \(disagreements.prefix(3))")
        #expect(matched > 200 && matched < 400, "both answers must occur: \(matched) of 400 matched")
    }
}
