import Foundation
@testable import LogDx
@testable import LogDxScan
import Testing

struct SignatureTests {
    @Test func xxh64MatchesTheReferenceVectors() {
        #expect(ContentHash.of([]) == "xxh64:ef46db3751d8e999")
        #expect(ContentHash.of(Array("a".utf8)) == "xxh64:d24ec4f1a98c6e5b")
        #expect(ContentHash.of(Array("abc".utf8)) == "xxh64:44bc2cf5ad770999")
        // Streamed in odd pieces, a long input hashes the same as in one piece.
        let long = Array((0..<1000).map { UInt8($0 % 251) })
        var pieces = ContentHash()
        var offset = 0
        for size in [1, 7, 31, 33, 64, 100, 764] {
            long[offset..<offset + size].withUnsafeBytes { pieces.update($0) }
            offset += size
        }
        #expect(ContentHash.hex(pieces.finish()) == ContentHash.of(long))
    }

    @Test func normalizerMasksWhatVariesBetweenRuns() {
        #expect(LineNormalizer.normalize("2026-11-20T08:01:02.123Z worker 17 failed on /var/lib/x-12/a.db: \"disk full\"")
                == "<TS> worker <NUM> failed on <PATH>: <STR>")
        #expect(LineNormalizer.normalize("request 123e4567-e89b-12d3-a456-426614174000 at 0x7ffd1234 hash deadbeef42")
                == "request <UUID> at <HEX> hash <HEX>")
        #expect(LineNormalizer.normalize("see https://ci.example.com/jobs/42 and src/app/main.go:12:4")
                == "see <URL> and <PATH>")
    }

    /// The patterns are constants built without `try!`: one that stopped compiling would make
    /// signatures less choosy instead of crashing a scan, so this is where it must show.
    @Test func everyConstantPatternCompiles() {
        #expect(LineNormalizer.uncompiled.isEmpty)
        #expect(FailureSignature.uncompiled.isEmpty)
        #expect(LineNormalizer.patterns.count == 9)
    }

    @Test func minerMergesLinesThatDifferOnlyInVariableTokens() {
        var miner = TemplateMiner()
        let a = miner.add("connection to db-primary lost after <NUM> ms")
        let b = miner.add("connection to db-replica lost after <NUM> ms")
        let c = miner.add("permission denied writing <PATH>")
        #expect(a == b && a != c)
        #expect(miner.clusters[a].template == "connection to <*> lost after <NUM> ms")
        #expect(miner.clusters[a].size == 2)
        // Too different: a new cluster, not a template of wildcards.
        let d = miner.add("connection reset by peer during handshake <NUM>")
        #expect(d != a)
    }

    /// ASCII lines are split by bytes, others by characters: both route a token with a number
    /// (any script's digits beyond ASCII) to the wildcard, and split runs of spaces alike.
    @Test func minerTokenizesASCIIAndOtherLinesAlike() {
        var miner = TemplateMiner()
        let ascii = miner.add("step  7 of build failed")
        let asciiAgain = miner.add("step 8 of build  failed")
        let arabic = miner.add("خطوة ٧ من build فشلت")
        let arabicAgain = miner.add("خطوة ٨ من build فشلت")
        #expect(ascii == asciiAgain && arabic == arabicAgain && ascii != arabic)
        #expect(miner.clusters[ascii].tokens == ["step", "<*>", "of", "build", "failed"])
        #expect(miner.clusters[arabic].tokens == ["خطوة", "<*>", "من", "build", "فشلت"])
    }

    @Test func signatureSkipsGenericFailureFooters() {
        let excerpt = Excerpt(job: "build", jobIndex: 0, source: "build.log", lines: [
            .init(line: 10, text: "compiling 42 files", new: nil),
            .init(line: 11, text: "fatal: frobnicate lost its lease on /var/lib/frob/ws-1/state.db", new: nil),
            .init(line: 12, text: "ERROR: Job failed: exit code 1", new: nil),
        ], explained: false)
        let signature = FailureSignature.pick(excerpt)
        #expect(signature?.line == 11)
        #expect(signature?.normalized == "fatal: frobnicate lost its lease on <PATH>")
    }
}
