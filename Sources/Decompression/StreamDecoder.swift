/// Decompresses a stream in steps, so a reader holds one input chunk and one output chunk however
/// large the log is.
public protocol StreamDecoder: AnyObject {
    /// Decodes from `input` into `output` as far as either allows.
    func step(input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer) throws(DecompressionError) -> DecodeStep
    /// Whether the data so far ends exactly at the end of a complete stream (or frame): false when
    /// the compressed input stopped in the middle, as a cut-off download or copy does.
    var isAtStreamEnd: Bool { get }
}

/// What one `StreamDecoder.step` did.
public struct DecodeStep: Sendable, Equatable {
    /// Input bytes used; the caller passes the rest again.
    public var consumed: Int
    /// Output bytes written at the start of the output buffer.
    public var produced: Int

    public init(consumed: Int, produced: Int) {
        self.consumed = consumed
        self.produced = produced
    }
}
