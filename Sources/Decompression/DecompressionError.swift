/// Compressed data a decoder cannot read on: damaged bytes, or a library that refused to start.
public struct DecompressionError: Error, Sendable, Equatable, CustomStringConvertible {
    public let format: CompressionFormat
    /// The library's own words (zlib's `msg`, `ZSTD_getErrorName`).
    public let message: String

    public init(format: CompressionFormat, message: String) {
        self.format = format
        self.message = message
    }

    public var description: String { "\(format.rawValue) data is damaged: \(message)" }
}
