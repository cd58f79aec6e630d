import CZstd

/// libzstd's streaming decoder; consecutive frames decode as one stream, as `zstd -dc` does.
public final class ZstdDecoder: StreamDecoder {
    private let context: OpaquePointer
    public private(set) var isAtStreamEnd = true

    public init() throws(DecompressionError) {
        guard let context = ZSTD_createDStream() else {
            throw DecompressionError(format: .zstd, message: "libzstd could not allocate a decoder")
        }
        self.context = context
    }

    deinit { ZSTD_freeDStream(context) }

    public func step(input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer) throws(DecompressionError) -> DecodeStep {
        guard let outputBase = output.baseAddress, output.count > 0 else { return DecodeStep(consumed: 0, produced: 0) }
        guard let inputBase = input.baseAddress, input.count > 0 else { return DecodeStep(consumed: 0, produced: 0) }
        var source = ZSTD_inBuffer(src: inputBase, size: input.count, pos: 0)
        var destination = ZSTD_outBuffer(dst: outputBase, size: output.count, pos: 0)
        let hint = ZSTD_decompressStream(context, &destination, &source)
        if ZSTD_isError(hint) != 0 {
            throw DecompressionError(format: .zstd, message: String(cString: ZSTD_getErrorName(hint)))
        }
        // 0 means a frame was completely decoded and flushed; anything else means more is expected.
        isAtStreamEnd = hint == 0
        return DecodeStep(consumed: source.pos, produced: destination.pos)
    }
}
