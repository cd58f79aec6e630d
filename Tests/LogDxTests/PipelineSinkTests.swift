import Foundation
import Testing
@testable import LogDx
import TestSupport

/// One big log's tokenizer runs on a second core, fed batches of the lines the reader cleaned: it
/// must see the same calls in the same order as inline, so the events and excerpts are the same.
@Suite struct PipelineSinkTests {
    /// The fixtures' gitlab-ci-local logs (every job's lines in one file, each prefixed with its
    /// job) end to end, repeated past several batches (about 1.5 MB): jobs that alternate, with the command
    /// lines whose structural events must stay between their lines.
    static func bigLog() throws -> [UInt8] {
        let root = Repo.fixtures + "/pipelines"
        var logs: [[UInt8]] = []
        for folder in try FileManager.default.contentsOfDirectory(atPath: root).sorted() {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: root + "/" + folder).sorted()) ?? []
            where name.hasPrefix("gitlab-ci-local") {
                if let data = FileManager.default.contents(atPath: root + "/" + folder + "/" + name) { logs.append([UInt8](data)) }
            }
        }
        var text: [UInt8] = []
        while text.count < 6 * TokenizerWorker.batchBytes {
            for log in logs { text += log }
        }
        return text
    }

    func read(_ bytes: [UInt8], concurrent: Bool) throws -> (Pipeline, PipelineSink) {
        var sink = PipelineSink(tokenizer: Tokenizer(rules: Repo.builtInRules), excerpts: ExcerptCollector(), concurrent: concurrent)
        let pipeline = try PipelineReader().read(InputPlan(inputs: [LogInput(origin: .bytes(bytes), name: "big.log")]), into: &sink)
        sink.finishTokenizing()
        return (pipeline, sink)
    }

    @Test func aSecondCoreTokenizesExactlyAsInline() throws {
        let bytes = try Self.bigLog()
        let (inlinePipeline, inline) = try read(bytes, concurrent: false)
        let (concurrentPipeline, concurrent) = try read(bytes, concurrent: true)
        #expect(inlinePipeline.jobs.count >= 2)
        let before = inline.tokenizer.store.events
        let after = concurrent.tokenizer.store.events
        #expect(before.count > 1_000)
        let firstDifference = zip(before, after).enumerated().first { $0.element.0 != $0.element.1 }.map(\.offset)
        #expect(before.count == after.count && firstDifference == nil,
                "\(before.count) events inline, \(after.count) on a second core; first difference at \(firstDifference.map(String.init) ?? "the end")")
        #expect(inline.tokenizer.limitHits.count == concurrent.tokenizer.limitHits.count)
        #expect(concurrentPipeline.jobs.map(\.name) == inlinePipeline.jobs.map(\.name))
        for job in inlinePipeline.jobs.indices.prefix(50) {
            #expect(inline.excerpts.lines(ofJob: job).map(\.line) == concurrent.excerpts.lines(ofJob: job).map(\.line))
        }
    }

    @Test func onlyOneLargeInputGetsASecondCore() throws {
        let folder = TemporaryDirectory()
        let small = folder.write("small.log", "$ make\nerror: failed\n")
        let large = folder.write("large.log", String(repeating: "a line of a long build log\n", count: 100_000))
        #expect(!Diagnoser.isOneLargeInput(try InputPlan.make([.path(small)])))
        #expect(Diagnoser.isOneLargeInput(try InputPlan.make([.path(large)])))
        #expect(!Diagnoser.isOneLargeInput(try InputPlan.make([.path(large), .path(small)])))
        #expect(Diagnoser.isOneLargeInput(InputPlan(inputs: [LogInput(origin: .standardInput, name: "-")])))
    }
}
