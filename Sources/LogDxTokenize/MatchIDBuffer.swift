/// Where one tokenizer's per-line libhs scan writes the ids it reports: fixed memory, reused
/// from line to line, so a scan appends to no Swift array (see `Scratch.scan(_:into:)`).
final class MatchIDBuffer {
    /// More ids than a line of text reports unless the same literal recurs all along it; such
    /// a line is scanned again into an array.
    static let capacity = 1024

    let ids: UnsafeMutableBufferPointer<UInt32>

    init() {
        ids = .allocate(capacity: Self.capacity)
        ids.initialize(repeating: 0)
    }

    deinit {
        ids.deallocate()
    }
}
