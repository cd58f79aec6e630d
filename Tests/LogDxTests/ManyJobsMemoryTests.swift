import Foundation
import Testing
@testable import LogDx
import TestSupport

/// A pipeline of many short jobs costs memory for its events, not for its number of jobs: the
/// automata are shared by every reader, and per-job buffers grow with what the job printed.
@Suite(.serialized) struct ManyJobsMemoryTests {
    /// The peak resident size of this process, in KiB, from /proc (Linux only; nil elsewhere).
    static func peakResidentKiB() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }

    /// Starts a new peak at the current size (Linux ≥ 4.0); false when the kernel does not allow it.
    @discardableResult
    static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data("5".utf8))) != nil
    }

    @Test func fourHundredTinyJobsInOnePipelineStayWithinBoundedMemory() throws {
        let folder = TemporaryDirectory()
        for index in 0..<400 {
            folder.write("logs/job\(index).log", """
            $ make test
            running 3 tests
            error: test \(index) failed: expected 1, got 2
            make: *** [Makefile:4: test] Error 1

            """)
        }
        let diagnoser = Diagnoser(rules: Repo.builtInRules)
        // Warm up: rule compilation and the shared automata are paid once, not per job.
        _ = try diagnoser.diagnose([folder.path + "/logs/job0.log"])
        Self.resetPeak()
        let before = try #require(Self.peakResidentKiB())
        let analysis = try diagnoser.diagnose([folder.path + "/logs"])
        let after = try #require(Self.peakResidentKiB())
        #expect(analysis.pipeline.jobs.count == 400)
        // Each job's reader used to copy the 7 MiB event automaton and keep it until the merge
        // (400 jobs: 3 GB); its excerpt collector kept a 120 KiB tail buffer and its own copy of
        // the line scorer's automaton. What remains per job is its events and a few small buffers.
        let grownMiB = (after - before) / 1024
        #expect(grownMiB < 120, "peak grew by \(grownMiB) MiB for 400 tiny jobs")
    }
}
