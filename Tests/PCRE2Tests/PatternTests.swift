import Foundation
import PCRE2
import Synchronization
import Testing

@Suite struct PatternTests {
    let scratch = MatchScratch()

    @Test func namedGroupsGiveUTF8ByteRanges() throws {
        let pattern = try Pattern(#"^Paket (?<name>\S+) für (?<who>\S+)$"#)
        let text = "Paket rdflib für Jörg"
        guard case .matched(let match) = pattern.firstMatch(in: text, scratch: scratch) else {
            Issue.record("expected a match")
            return
        }
        let bytes = Array(text.utf8)
        let name = try #require(match.range(named: "name"))
        #expect(String(decoding: bytes[name], as: UTF8.self) == "rdflib")
        // "ü" is two bytes: the range after it is in bytes, not characters.
        let who = try #require(match.range(named: "who"))
        #expect(who == 18..<23)
        #expect(pattern.groupNames == ["name", "who"])
        #expect(match.range(named: "absent") == nil)
    }

    @Test func compileErrorNamesTheOffset() {
        do {
            _ = try Pattern(#"^Package(s not found"#)
            Issue.record("an unbalanced parenthesis must not compile")
        } catch {
            #expect(error.patternOffset == 20)
            #expect(error.message.contains("missing closing parenthesis"))
            #expect(error.description.contains("at offset 20"))
        }
    }

    /// The JIT runs on a pattern's first match, whichever thread makes it: many threads matching
    /// fresh patterns at once must all get the right answer, and each pattern is compiled once.
    @Test func theFirstMatchesOfManyThreadsAtOnceAreRight() throws {
        for round in 0..<20 {
            let source = #"(?<tool>uv|pip) install (?<package>[a-z]+)\#(round)$"#
            // Every other round compiles on first use too, in the same race.
            let pattern = round % 2 == 0 ? try Pattern(source) : Pattern(compiledBefore: source)
            let results = Mutex<[Bool]>([])
            DispatchQueue.concurrentPerform(iterations: 16) { index in
                let scratch = MatchScratch()
                let hit = "$ uv install rdflib\(round)"
                let miss = "$ uv install rdflib\(round + 1)"
                var ok = true
                for _ in 0..<50 {
                    if case .matched = pattern.firstMatch(in: index % 2 == 0 ? hit : miss, scratch: scratch) {
                        ok = ok && index % 2 == 0
                    } else {
                        ok = ok && index % 2 == 1
                    }
                }
                results.withLock { $0.append(ok) }
            }
            #expect(results.withLock { $0.count == 16 && $0.allSatisfy { $0 } })
            #expect(pattern.isJITCompiled)
        }
    }

    /// A pattern read back from the rule-set cache compiles when first used, and then is the
    /// pattern it was; one that no longer compiles matches nothing rather than failing a run.
    @Test func aDeferredPatternIsThePatternOnceUsed() throws {
        let source = #"^Paket (?<name>\S+) für (?<who>\S+)$"#
        let eager = try Pattern(source, options: [.caseInsensitive])
        let deferred = Pattern(compiledBefore: source, options: [.caseInsensitive])
        #expect(deferred.groupNames == eager.groupNames)
        #expect(deferred.captureCount == eager.captureCount)
        #expect(deferred.groupIndex(named: "who") == eager.groupIndex(named: "who"))
        for text in ["PAKET rdflib für Jörg", "Paket rdflib for Jörg", "Paket a für b c"] {
            let a = eager.firstMatch(in: text, scratch: scratch), b = deferred.firstMatch(in: text, scratch: scratch)
            switch (a, b) {
            case (.matched(let x), .matched(let y)): #expect(x.range(named: "name") == y.range(named: "name"))
            case (.noMatch, .noMatch): break
            default: Issue.record("\(text): \(a) eagerly, \(b) deferred")
            }
        }
        let broken = Pattern(compiledBefore: "(unclosed")
        #expect(broken.groupNames.isEmpty && !broken.isJITCompiled)
        if case .matched = broken.firstMatch(in: "(unclosed", scratch: scratch) { Issue.record("a pattern that does not compile matched") }
        #expect(!Pattern.libraryVersion.isEmpty && Pattern.libraryVersion != "unknown")
    }

    @Test func patternsAreJITCompiled() throws {
        #expect(try Pattern("abc").isJITCompiled)
    }

    @Test func invalidUTF8SubjectsMatchWithoutError() throws {
        let pattern = try Pattern(#"not found for: (?<pkg>\w+)"#)
        var bytes = Array("warning: Package(s) ".utf8) + [0xff, 0xfe, 0xc3] + Array(" not found for: rdflib".utf8)
        let outcome = bytes.withUnsafeMutableBufferPointer { pattern.firstMatch(in: UnsafeBufferPointer($0), scratch: scratch) }
        guard case .matched(let match) = outcome else {
            Issue.record("invalid UTF-8 before the match must not prevent it")
            return
        }
        #expect(String(decoding: bytes[match.range(named: "pkg")!], as: UTF8.self) == "rdflib")
    }

    @Test func catastrophicBacktrackingStopsAtTheMatchLimit() throws {
        let pattern = try Pattern(#"^(a+)+$"#)
        let scratch = MatchScratch(limits: MatchLimits(matchLimit: 100_000))
        let subject = String(repeating: "a", count: 40) + "b"
        let started = ContinuousClock.now
        let outcome = pattern.firstMatch(in: subject, scratch: scratch)
        guard case .limitExceeded(let error) = outcome else {
            Issue.record("expected the match limit to stop the search, got \(outcome)")
            return
        }
        #expect(error.code == -47)
        // Without the limit this takes minutes; with it, far under a second.
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func caseInsensitiveOption() throws {
        let pattern = try Pattern("job failed", options: [.caseInsensitive])
        #expect(pattern.firstMatch(in: "ERROR: JOB FAILED: exit code 1", scratch: scratch) != .noMatch)
    }

    @Test func emptySubjectIsFine() throws {
        let pattern = try Pattern("^$")
        #expect(pattern.firstMatch(in: "", scratch: scratch) != .noMatch)
    }

    @Test func oneCompiledPatternServesManyThreads() throws {
        let pattern = try Pattern(#"^ \+ (?<package>[\w.-]+)==(?<version>\S+)$"#)
        let lines = (0..<2_000).map { " + package\($0)==1.\($0)" }
        let results = Mutex([String](repeating: "", count: lines.count))
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            let scratch = MatchScratch()
            for index in stride(from: worker, to: lines.count, by: 8) {
                guard case .matched(let match) = pattern.firstMatch(in: lines[index], scratch: scratch) else { continue }
                let bytes = Array(lines[index].utf8)
                let name = String(decoding: bytes[match.range(named: "package")!], as: UTF8.self)
                results.withLock { $0[index] = name }
            }
        }
        results.withLock { names in
            #expect(names == (0..<2_000).map { "package\($0)" })
        }
    }
}

/// A small lock-protected box for the concurrency test.
final class Mutex<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    init(_ value: Value) { self.value = value }

    func withLock<R>(_ body: (inout Value) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}

@Suite struct UTF8HandlingTests {
    let scratch = MatchScratch()

    /// libpcre2 10.42's JIT with PCRE2_MATCH_INVALID_UTF returns no match here; the wrapper must not
    /// use that mode.
    @Test func nonASCIISubjectAfterANonASCIILiteral() throws {
        let pattern = try Pattern(#"ür (\S+)$"#)
        #expect(pattern.firstMatch(in: "xür Jörg", scratch: scratch) != .noMatch)
    }

    @Test func invalidBytesAreMatchedAsQuestionMarksAtTheSameOffsets() throws {
        let pattern = try Pattern(#"a\?b(?<rest>.+)$"#)
        var bytes: [UInt8] = [0x61, 0xff, 0x62] + Array("cdé".utf8)
        let outcome = bytes.withUnsafeMutableBufferPointer { pattern.firstMatch(in: UnsafeBufferPointer($0), scratch: scratch) }
        guard case .matched(let match) = outcome else {
            Issue.record("expected a match on the sanitized copy")
            return
        }
        #expect(match.range(named: "rest") == 3..<7)
    }

    @Test(arguments: [
        ([0x41], true), ([0xc3, 0xa9], true), ([0xe2, 0x82, 0xac], true), ([0xf0, 0x9f, 0x98, 0x80], true),
        ([0xc0, 0xaf], false), ([0xe0, 0x80, 0xaf], false), ([0xed, 0xa0, 0x80], false),
        ([0xf4, 0x90, 0x80, 0x80], false), ([0xc3], false), ([0x80], false), ([0xff], false),
    ] as [([UInt8], Bool)])
    func validation(bytes: [UInt8], valid: Bool) {
        #expect(bytes.withUnsafeBufferPointer { UTF8Validation.isValid($0) } == valid)
    }
}

/// `replacingMatches`: libpcre2's global substitution, the replacement taken literally.
@Suite struct PatternSubstitutionTests {
    @Test func everyMatchIsReplacedAndTheReplacementIsLiteral() throws {
        let scratch = MatchScratch()
        let digits = try Pattern(#"\d+(\.\d+)*"#)
        #expect(digits.replacingMatches(in: "took 12.5 s, exit 137", with: "<NUM>", scratch: scratch) == "took <NUM> s, exit <NUM>")
        #expect(digits.replacingMatches(in: "no numbers", with: "$1", scratch: scratch) == "no numbers")
        #expect(digits.replacingMatches(in: "a1", with: "$0\\", scratch: scratch) == "a$0\\")
        #expect(digits.replacingMatches(in: "", with: "<NUM>", scratch: scratch) == "")
    }

    @Test func aResultLongerThanTheFirstGuessIsStillWhole() throws {
        let scratch = MatchScratch()
        let letter = try Pattern("[a-z]")
        let text = String(repeating: "ab", count: 5_000)
        let replaced = letter.replacingMatches(in: text, with: "<LETTER>", scratch: scratch)
        #expect(replaced == String(repeating: "<LETTER>", count: 10_000))
    }

    @Test func emptyMatchesAndMultibyteTextDoNotLoopOrSplitCharacters() throws {
        let scratch = MatchScratch()
        let anything = try Pattern("x*")
        #expect(anything.replacingMatches(in: "ü€", with: "-", scratch: scratch) == "-ü-€-")
    }
}

/// `Pattern.escaped`: any text, taken literally, whatever PCRE2 would read in it.
@Suite struct PatternEscapeTests {
    @Test(arguments: ["a.b*c", #"C:\Eval\Qx"#, "(x)[y]{2}^$|+?", "ünï ${{ matrix.os }}", #"\E"#, ""])
    func anEscapedTextMatchesItselfAndNothingLooser(_ text: String) throws {
        let scratch = MatchScratch()
        let pattern = try Pattern("^" + Pattern.escaped(text) + "$")
        guard case .matched = pattern.firstMatch(in: text, scratch: scratch) else {
            Issue.record("\(text) does not match its own escape")
            return
        }
        if case .matched = pattern.firstMatch(in: text + "x", scratch: scratch) { Issue.record("\(text)x matched") }
    }
}
