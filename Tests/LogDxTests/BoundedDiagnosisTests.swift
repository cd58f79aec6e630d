import Foundation
import Testing
@testable import LogDx
import TestSupport

/// One huge job must cost time in proportion to its size and memory bounded by the caps: the
/// events kept per kind, the solutions per rule, the evidence and the values a title names.
@Suite struct BoundedDiagnosisTests {
    /// A Rust job that failed thousands of times over: every error has its location line and
    /// every crate its "could not compile" line, so one rule collects thousands of events for each
    /// of thousands of solutions.
    static func rustLog(errors: Int) -> String {
        var lines = ["$ cargo build --workspace"]
        for index in 0..<errors {
            lines.append("error[E0308]: mismatched types in item\(index)")
            lines.append("  --> src/module\(index).rs:\(index + 1):5")
            lines.append("error: could not compile `crate\(index)` (lib) due to 1 previous error")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func thousandsOfErrorsInOneJobGiveOneBoundedDiagnosisQuickly() throws {
        let folder = TemporaryDirectory()
        let log = folder.write("build.log", Self.rustLog(errors: 3_000))
        let started = ContinuousClock.now
        let analysis = try Diagnoser(rules: Repo.builtInRules).diagnose([log])
        // Before, each of the 3,000 solutions added its 3,000 collected crates to the evidence by
        // a linear search that formatted every line's key: hours. Now well under a second in a
        // release build; the bound leaves room for a debug build on a busy machine.
        #expect(ContinuousClock.now - started < .seconds(60))
        let rust = try #require(analysis.diagnoses.first { $0.rule == "rustc-compile-error" })
        #expect(rust.evidence.count <= RuleEngine.maxEvidence)
        #expect(rust.evidence.first?.text == "error[E0308]: mismatched types in item0")
        // The title names a dozen messages and counts the others instead of listing 3,000.
        #expect(rust.title.count < 1_000)
        #expect(rust.title.contains("mismatched types in item0"))
        #expect(rust.title.hasSuffix(" more"))
        #expect(rust.explanation.count < 4_000)
        // What was left out is said.
        #expect(analysis.pipeline.notices.contains {
            $0.message.contains("'rustc.location' events between the first \(EventStore.defaultHeadCap) and the last \(EventStore.defaultTailCap) were not analysed")
        })
    }

    @Test func theStoreKeepsTheFirstAndTheLastEventsOfAKindAndCountsTheRest() {
        var store = EventStore(headCap: 3, tailCap: 2)
        var handles: [EventStore.Handle] = []
        for line in 1...20 {
            handles.append(store.append(Event(kind: "demo.line", definition: "demo", job: 0, line: line, text: Redacted(alreadyRedacted: "line \(line)"))))
        }
        store.append(Event(kind: "demo.other", definition: "other", job: 0, line: 21, text: "other"))
        #expect(store.events.map(\.line) == [1, 2, 3, 19, 20, 21])
        #expect(store.dropped == [EventStore.Key(job: 0, kind: "demo.line"): 15])
        // Continuation lines reach a kept event, whether at the start or the end; a dropped one
        // takes nothing and disturbs no other.
        store.appendText("  more of 2", to: handles[1])
        store.appendText("  more of 20", to: handles[19])
        store.appendText("  more of 10", to: handles[9])
        let texts = Dictionary(uniqueKeysWithValues: store.events.map { ($0.line, $0.text) })
        #expect(texts[2] == "line 2\n  more of 2")
        #expect(texts[20] == "line 20\n  more of 20")
        #expect(texts[19] == "line 19" && texts[3] == "line 3")
    }

    @Test func aFailureAfterThousandsOfEventsOfItsKindIsStillSeen() throws {
        // The job's own cause comes last, after more lines of the same kind than the store keeps
        // from the start: it is among the last ones kept.
        let folder = TemporaryDirectory()
        var text = Self.rustLog(errors: 1_500)
        text += "error[E0425]: cannot find value `final_cause` in this scope\n  --> src/last.rs:9:1\n"
        let log = folder.write("build.log", text)
        var tokenizer = Tokenizer(rules: Repo.builtInRules)
        _ = try PipelineReader().read([log], into: &tokenizer)
        let locations = tokenizer.store.events.filter { $0.kind == "rustc.location" }
        #expect(locations.count == EventStore.defaultHeadCap + EventStore.defaultTailCap)
        #expect(locations.last?.fields["message"] == "cannot find value `final_cause` in this scope")
        #expect(locations.first?.fields["file"] == "src/module0.rs")
    }
}
