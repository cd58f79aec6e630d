import Foundation

/// Passes a pipeline's statements from the thread that makes them to the one that writes them
/// (`ScanDatabase.recordConcurrently`): the writer says where the rows go once its transaction
/// has begun, the maker then puts statements as it makes them, and the writer takes them in
/// order until the maker has finished. Either side can be left alone: `cancel` (the writer
/// failed, or wrote nothing) stops the maker waiting or putting.
final class InsertHandoff: @unchecked Sendable {
    // SAFETY (for @unchecked Sendable): every stored property is read and written only with
    // `condition` locked.
    private let condition = NSCondition()
    private var start: ScanDatabase.RowsStart?
    private var pending: [DiagnosisRows.Insert] = []
    private var finished = false
    private var cancelled = false

    /// Thrown by `put` once the writer has stopped.
    struct Cancelled: Error {}

    /// The writer: where the rows go.
    func begin(_ start: ScanDatabase.RowsStart) {
        condition.withLock {
            self.start = start
            condition.broadcast()
        }
    }

    /// The maker: waits for `begin`; nil when the writer stopped first.
    func waitForStart() -> ScanDatabase.RowsStart? {
        condition.withLock {
            while start == nil && !cancelled { condition.wait() }
            return cancelled ? nil : start
        }
    }

    /// The maker: one more statement.
    func put(_ insert: DiagnosisRows.Insert) throws {
        try condition.withLock {
            guard !cancelled else { throw Cancelled() }
            pending.append(insert)
            // The writer waits only when it has taken everything: one wake-up per batch it takes.
            if pending.count == 1 { condition.broadcast() }
        }
    }

    /// The maker: no more statements.
    func finish() {
        condition.withLock {
            finished = true
            condition.broadcast()
        }
    }

    /// The writer: the statements put since it last took, in order; nil once the maker has
    /// finished and all are taken.
    func take() -> [DiagnosisRows.Insert]? {
        condition.withLock {
            while pending.isEmpty && !finished && !cancelled { condition.wait() }
            guard !pending.isEmpty else { return nil }
            defer { pending = [] }
            return pending
        }
    }

    /// Either side: the writing is over; a maker still waiting or putting stops.
    func cancel() {
        condition.withLock {
            cancelled = true
            condition.broadcast()
        }
    }
}
