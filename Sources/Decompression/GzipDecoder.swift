import CInflate

/// zlib's inflate over gzip data, including files of several concatenated members (what `cat a.gz
/// b.gz` and some log rotators write), which `gzip -dc` also reads as one stream.
public final class GzipDecoder: StreamDecoder {
    private var stream = z_stream()
    /// Between members: the previous one ended and no byte of the next has been read.
    public private(set) var isAtStreamEnd = false

    public init() throws(DecompressionError) {
        let status = logdx_inflate_init_gzip(&stream)
        guard status == Z_OK else {
            throw DecompressionError(format: .gzip, message: "zlib could not start (status \(status))")
        }
    }

    deinit { inflateEnd(&stream) }

    public func step(input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer) throws(DecompressionError) -> DecodeStep {
        guard let outputBase = output.baseAddress, output.count > 0 else { return DecodeStep(consumed: 0, produced: 0) }
        guard let inputBase = input.baseAddress, input.count > 0 else { return DecodeStep(consumed: 0, produced: 0) }
        // zlib counts in UInt32: a larger buffer is taken in parts, over several steps.
        let inputCount = min(input.count, Int(UInt32.max))
        let outputCount = min(output.count, Int(UInt32.max))
        if isAtStreamEnd {
            // Another member follows; what comes after the last member must be gzip too.
            inflateReset(&stream)
            isAtStreamEnd = false
        }
        stream.next_in = UnsafeMutablePointer(mutating: inputBase.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(inputCount)
        stream.next_out = outputBase.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(outputCount)
        let status = inflate(&stream, Z_NO_FLUSH)
        let consumed = inputCount - Int(stream.avail_in)
        let produced = outputCount - Int(stream.avail_out)
        switch status {
        case Z_OK, Z_BUF_ERROR:
            return DecodeStep(consumed: consumed, produced: produced)
        case Z_STREAM_END:
            isAtStreamEnd = true
            return DecodeStep(consumed: consumed, produced: produced)
        default:
            let detail = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
            throw DecompressionError(format: .gzip, message: detail)
        }
    }
}
