import Foundation
import Testing
@testable import LogDx
import TestSupport

/// A user pattern that hits PCRE2's match limit line after line is switched off for the rest of
/// that job after a few hits, with one notice, instead of paying the whole limit on every line.
@Suite struct PatternSwitchOffTests {
    /// A rules folder whose only event definition backtracks catastrophically on `a{40}ba{41}`.
    /// The back-reference keeps Vectorscan to prefilter mode, where `\1` stands for what group 1
    /// can match (`^(a+)+ba+$`, which the hostile line passes), so PCRE2 runs on the hostile
    /// lines; a pattern Vectorscan takes exactly never gets that far.
    static func rules(in folder: TemporaryDirectory) throws -> RuleSet {
        folder.write("rules/events/slow.yaml", """
        events:
          - id: nested-quantifier
            kind: demo.slow
            pattern: '^(a+)+b\\1$'
            literals: [aab]
            examples: [aaba]
        """)
        // A rule must use the kind: the diagnoser compiles only the patterns its rules need.
        folder.write("rules/demo/slow-rule.yaml", """
        id: slow-rule
        ecosystem: demo
        severity: warning
        summary: Uses the slow pattern.
        match: [{ as: s, event: demo.slow }]
        title: 'slow line {{s.line}}'
        explanation: x
        fixes: [{ summary: x }]
        """)
        return try RuleSet.load(from: [folder.path + "/rules"])
    }

    static let hostileLine = String(repeating: "a", count: 40) + "b" + String(repeating: "a", count: 41)

    /// Two matching lines, then `hostile` lines that each exhaust the match limit, then a line
    /// the pattern would match.
    static func log(hostile: Int) -> String {
        var lines = ["starting", "aaba", "aaaaba"]
        lines += Array(repeating: hostileLine, count: hostile)
        lines.append("aaaaaabaa")
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func aPatternHittingTheLimitOnManyLinesIsSwitchedOffForTheJob() throws {
        let folder = TemporaryDirectory()
        let rules = try Self.rules(in: folder)
        let log = folder.write("job.log", Self.log(hostile: 200))
        var tokenizer = Tokenizer(rules: rules)
        _ = try PipelineReader().read([log], into: &tokenizer)
        // Three hits, the third switching it off; the 197 other hostile lines never ran it.
        let hits = tokenizer.limitHits
        #expect(hits.map(\.line) == [4, 5, 6])
        #expect(hits.map(\.switchedOff) == [false, false, true])
        // Lines before the switch-off matched; the line after it is not looked at any more.
        #expect(tokenizer.store.events.filter { $0.kind == "demo.slow" }.map(\.line) == [2, 3])

        let analysis = try Diagnoser(rules: rules).diagnose([log])
        let switchedOff = analysis.pipeline.notices.filter { $0.message.contains("switched off") }
        #expect(switchedOff.count == 1)
        #expect(switchedOff.first?.line == 6)
        #expect(switchedOff.first?.message.contains("event pattern 'nested-quantifier' stopped at a PCRE2 limit") == true)
    }

    @Test func theSwitchOffHoldsForOneJobOnly() throws {
        let folder = TemporaryDirectory()
        let rules = try Self.rules(in: folder)
        let hostile = folder.write("logs/hostile.log", Self.log(hostile: 50))
        let fine = folder.write("logs/fine.log", "starting\naaba\n" + Self.hostileLine + "\naabaa\n")
        let analysis = try Diagnoser(rules: rules).diagnose([hostile, fine])
        let notices = analysis.pipeline.notices
        #expect(notices.filter { $0.message.contains("switched off") }.map(\.source) == [hostile])
        // The other job still runs the pattern after its one hit: both its matching lines count.
        let fineJob = try #require(analysis.pipeline.jobs.first { $0.source == fine })
        let slow = analysis.diagnoses.filter { $0.rule == "slow-rule" && $0.jobs == [fineJob.name] }
        #expect(slow.flatMap(\.evidence).map(\.line).sorted() == [2, 4])
    }

    /// Without the back-reference Vectorscan can run the pattern itself, as an automaton. The
    /// prefilter finds the definition by its literal, so the first hostile line reaches PCRE2 and
    /// its limit; libhs running the pattern then rejects that line and every later one without
    /// backtracking: nothing counts as a limit hit, and every line is looked at.
    @Test func aPatternVectorscanTakesExactlyNeverReachesTheLimit() throws {
        let folder = TemporaryDirectory()
        folder.write("rules/events/slow.yaml", """
        events:
          - id: nested-quantifier
            kind: demo.slow
            pattern: '^(a+)+$'
            literals: [aaa]
            examples: [aaaa]
        """)
        let rules = try RuleSet.load(from: [folder.path + "/rules"])
        var lines = ["starting", "aaaa"] + Array(repeating: String(repeating: "a", count: 40) + "b", count: 200)
        lines.append("aaaaaaaa")
        let log = folder.write("job.log", lines.joined(separator: "\n") + "\n")
        var tokenizer = Tokenizer(rules: rules)
        _ = try PipelineReader().read([log], into: &tokenizer)
        #expect(tokenizer.limitHits.isEmpty)
        #expect(tokenizer.store.events.filter { $0.kind == "demo.slow" }.map(\.line) == [2, 203])
    }
}
