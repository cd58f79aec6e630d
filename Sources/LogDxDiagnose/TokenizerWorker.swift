import Dispatch
import Foundation
import LogDxIngest
import LogDxTokenize

/// Runs a tokenizer on a second core while the reading thread frames, cleans and collects
/// excerpts: one big log then keeps both cores busy, as many logs already do. Lines are copied
/// into batches of about 256 kB, in input order with the structural events between them, and
/// replayed into the tokenizer in that order, so it sees exactly the calls it would have seen
/// inline (PipelineSinkTests compares the two).
///
/// At most two batches wait at once: a reader faster than the tokenizer waits for it, so memory
/// stays bounded whatever the log's size.
package final class TokenizerWorker: @unchecked Sendable {
    // SAFETY (for @unchecked Sendable): after `init`, `tokenizer` is touched only by blocks on
    // `queue`, which run one at a time, and by `finish`, after `queue.sync` has run every block
    // submitted before it. `pending` is touched only by the reading thread that owns the worker.
    private var tokenizer: Tokenizer
    private let queue = DispatchQueue(label: "logdx.tokenizer")
    private let slots = DispatchSemaphore(value: 2)
    private var pending = LineBatch()
    private var finished = false

    package static let batchBytes = 256 * 1024

    init(_ tokenizer: Tokenizer) {
        self.tokenizer = tokenizer
    }

    func line(job: Int, number: Int, text: UnsafeBufferPointer<UInt8>) {
        pending.appendLine(job: job, number: number, text: text)
        if pending.bytes.count >= Self.batchBytes { submit() }
    }

    func structural(kind: String, job: Int, line: Int, text: UnsafeBufferPointer<UInt8>, fields: [String: String]) {
        pending.appendStructural(kind: kind, job: job, line: line, text: text, fields: fields)
    }

    /// Replays what is still pending and gives the tokenizer back, with every line in it.
    func finish() -> Tokenizer {
        if !finished {
            submit()
            queue.sync {}
            finished = true
        }
        return tokenizer
    }

    private func submit() {
        guard !pending.records.isEmpty else { return }
        let batch = pending
        pending = LineBatch()
        pending.reserve(like: batch)
        slots.wait()
        queue.async { [self] in
            batch.replay(into: &tokenizer)
            slots.signal()
        }
    }
}

/// Lines and structural events in input order, their text in one buffer.
struct LineBatch: Sendable {
    enum Record: Sendable {
        case line(job: Int, number: Int, start: Int, count: Int)
        case structural(kind: String, job: Int, line: Int, start: Int, count: Int, fields: [String: String])
    }

    private(set) var bytes: [UInt8] = []
    private(set) var records: [Record] = []

    mutating func reserve(like other: LineBatch) {
        bytes.reserveCapacity(other.bytes.capacity)
        records.reserveCapacity(other.records.capacity)
    }

    mutating func appendLine(job: Int, number: Int, text: UnsafeBufferPointer<UInt8>) {
        records.append(.line(job: job, number: number, start: bytes.count, count: text.count))
        bytes.append(contentsOf: text)
    }

    mutating func appendStructural(kind: String, job: Int, line: Int, text: UnsafeBufferPointer<UInt8>, fields: [String: String]) {
        records.append(.structural(kind: kind, job: job, line: line, start: bytes.count, count: text.count, fields: fields))
        bytes.append(contentsOf: text)
    }

    func replay<Sink: IngestSink>(into sink: inout Sink) {
        bytes.withUnsafeBufferPointer { buffer in
            for record in records {
                switch record {
                case .line(let job, let number, let start, let count):
                    sink.line(job: job, number: number, text: UnsafeBufferPointer(rebasing: buffer[start..<(start + count)]))
                case .structural(let kind, let job, let line, let start, let count, let fields):
                    sink.structural(kind: kind, job: job, line: line, text: UnsafeBufferPointer(rebasing: buffer[start..<(start + count)]), fields: fields)
                }
            }
        }
    }
}
