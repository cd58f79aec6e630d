/// A compressed stream logdx reads in process, recognised by its first bytes, never by its name:
/// a `.log` that is really gzip is read, and a `.gz` that is plain text is read as text.
public enum CompressionFormat: String, Sendable, CaseIterable {
    case gzip
    case zstd

    /// The format whose magic number `prefix` starts with (RFC 1952 §2.3.1; RFC 8878 §3.1.1).
    public static func detect<Bytes: Collection>(_ prefix: Bytes) -> CompressionFormat? where Bytes.Element == UInt8 {
        if prefix.starts(with: [0x1f, 0x8b]) { return .gzip }
        if prefix.starts(with: [0x28, 0xb5, 0x2f, 0xfd]) { return .zstd }
        return nil
    }

    /// The extension files of this format carry; removed from names shown to people.
    public var fileExtension: String {
        switch self {
        case .gzip: return "gz"
        case .zstd: return "zst"
        }
    }

    /// A decoder for one stream of this format.
    public func makeDecoder() throws(DecompressionError) -> any StreamDecoder {
        switch self {
        case .gzip: return try GzipDecoder()
        case .zstd: return try ZstdDecoder()
        }
    }
}
