#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import Decompression

/// An open input, with its first bytes already read so the format can be detected and binary
/// data refused before anything is streamed. Compressed input is decompressed here, so from the
/// prefix on everything above sees the log's text.
public final class InputSource {
    /// The name used in evidence and messages: the path as given, `-`, or the caller's name.
    public let name: String
    /// The first bytes of the log (up to `prefixLimit`, decompressed); streaming replays them first.
    public private(set) var prefix: [UInt8]
    /// How the input was compressed, when it was.
    public let compression: CompressionFormat?
    private let bytes: any ByteSource
    private let decompressed: DecompressedBytes?
    private let hashing: HashingBytes?
    private var prefixConsumed = false
    private(set) var reachedEnd = false

    static let prefixLimit = 64 * 1024

    /// Opens `path` (or standard input for `-`) and reads its prefix.
    public convenience init(path: String) throws(InputError) {
        try self.init(.path(path))
    }

    /// Opens the input and reads its prefix, decompressing it if its first bytes are gzip's or
    /// zstd's. With `hashing`, a file's bytes are hashed as they are read (`contentHash`).
    public init(_ input: LogInput, hashing hashesFile: Bool = false) throws(InputError) {
        name = input.name
        let raw: any ByteSource
        var hashing: HashingBytes?
        switch input.origin {
        case .file(let path) where hashesFile:
            let hashed = HashingBytes(try FileDescriptorBytes(path: path))
            hashing = hashed
            raw = hashed
        case .file(let path): raw = try FileDescriptorBytes(path: path)
        case .standardInput: raw = FileDescriptorBytes(standardInputNamed: input.name)
        case .bytes(let content): raw = MemoryBytes(content)
        case .descriptor(let descriptor): raw = PositionedDescriptorBytes(descriptor: descriptor, name: input.name)
        }
        var (head, ended) = try Self.fill(from: raw, limit: Self.prefixLimit)
        if let format = CompressionFormat.detect(head) {
            let stream = try DecompressedBytes(raw, head: head, format: format, name: input.name)
            (head, ended) = try Self.fill(from: stream, limit: Self.prefixLimit)
            bytes = stream
            decompressed = stream
            compression = format
        } else {
            bytes = raw
            decompressed = nil
            compression = nil
        }
        prefix = head
        reachedEnd = ended
        self.hashing = hashing
    }

    /// XXH64 of the file's bytes as stored (compressed, for a compressed file), once it was
    /// read to its end, when it was opened with `hashing`; nil for other origins and for a file
    /// read only in part (refused, damaged, a compressed stream followed by more bytes).
    public var contentHash: UInt64? { hashing?.finished }

    /// Why a compressed input ended before its data did (cut off, damaged), once it was read.
    public var damage: String? { decompressed?.damage }

    /// Reads up to `limit` bytes, fewer only at the end.
    private static func fill(from source: any ByteSource, limit: Int) throws(InputError) -> ([UInt8], Bool) {
        // Not zeroed first: most logs of a scan are a few kilobytes, and 64 KiB set to zero for
        // each was more than reading it.
        var head = [UInt8](unsafeUninitializedCapacity: limit) { _, count in count = limit }
        var count = 0
        var ended = false
        while count < limit {
            let got = try head.withUnsafeMutableBytes { raw in
                Result { () throws(InputError) in try source.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[count...])) }
            }.get()
            if got == 0 {
                ended = true
                break
            }
            count += got
        }
        head.removeLast(limit - count)
        return (head, ended)
    }

    /// Reads the next bytes: the prefix first, then the rest of the input. Returns 0 at the end.
    func nextBytes(into buffer: inout [UInt8]) throws(InputError) -> Int {
        if !prefixConsumed {
            prefixConsumed = true
            if !prefix.isEmpty {
                if buffer.count <= prefix.count {
                    // Shared, not copied: only a later read into the buffer copies it.
                    buffer = prefix
                } else {
                    buffer.replaceSubrange(0..<prefix.count, with: prefix)
                }
                return prefix.count
            }
        }
        if reachedEnd { return 0 }
        let got = try buffer.withUnsafeMutableBytes { raw in
            Result { () throws(InputError) in try bytes.read(into: raw) }
        }.get()
        if got == 0 { reachedEnd = true }
        return got
    }

    /// Whether any byte is a control byte real logs do not hold (below 0x20, other than tab, LF,
    /// CR, ESC and form feed, as `checkIsText` counts them), eight bytes at a time: text
    /// logs have next to none, and counting them byte by byte was a percent of a scan of many
    /// short logs. True only means "count them".
    private static func mayHoldControlBytes(_ sample: ArraySlice<UInt8>) -> Bool {
        sample.withUnsafeBytes { raw in
            var index = 0
            while index + 8 <= raw.count {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                // A byte below 0x20 sets its high bit in `(word - 0x20…) & ~word`.
                if (word &- 0x2020_2020_2020_2020) & ~word & 0x8080_8080_8080_8080 != 0 {
                    for offset in index..<index + 8 where raw[offset] < 0x20 && !isLogControl(raw[offset]) { return true }
                }
                index += 8
            }
            for offset in index..<raw.count where raw[offset] < 0x20 && !isLogControl(raw[offset]) { return true }
            return false
        }
    }

    private static func isLogControl(_ byte: UInt8) -> Bool {
        byte == 0x09 || byte == 0x0a || byte == 0x0d || byte == 0x1b || byte == 0x0c
    }

    /// Refuses input that is clearly not a text log, judging by the prefix.
    public func checkIsText() throws(InputError) {
        if prefix.starts(with: [0x50, 0x4b, 0x03, 0x04]) {
            throw .binary(path: name, detail: "a zip archive; pass a GitHub run's log archive as a file argument (`logdx diagnose logs.zip`), not on standard input or inside a folder")
        }
        let sample = prefix.prefix(8192)
        guard !sample.isEmpty, Self.mayHoldControlBytes(sample) else { return }
        var controls = 0
        var nuls = 0
        for byte in sample {
            if byte == 0 { nuls += 1 }
            // Tab, LF, CR, ESC and form feed occur in real logs; other C0 controls do not.
            if byte < 0x20 && byte != 0x09 && byte != 0x0a && byte != 0x0d && byte != 0x1b && byte != 0x0c {
                controls += 1
            }
        }
        // A stray NUL happens in real logs (a tool printing a C string badly); a sea of them is not a log.
        if controls * 10 > sample.count {
            let offset = sample.firstIndex { $0 < 0x20 && $0 != 0x09 && $0 != 0x0a && $0 != 0x0d && $0 != 0x1b } ?? 0
            throw .binary(path: name, detail: "\(controls) control bytes in its first \(sample.count) bytes, \(nuls) of them NUL; the first at byte \(offset)")
        }
    }
}
