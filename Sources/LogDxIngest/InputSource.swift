#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open input: a file or standard input, with its first bytes already read so the format can
/// be detected and binary data refused before anything is streamed.
public final class InputSource {
    /// The name used in evidence and messages: the path as given, or `-`.
    public let name: String
    /// The first bytes of the input (up to `prefixLimit`); streaming replays them first.
    public private(set) var prefix: [UInt8]
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var prefixConsumed = false
    private(set) var reachedEnd = false

    static let prefixLimit = 64 * 1024

    /// Opens `path` (or standard input for `-`) and reads its prefix.
    public init(path: String) throws(InputError) {
        name = path
        if path == "-" {
            descriptor = 0
            ownsDescriptor = false
        } else {
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else {
                let code = errno
                if code == ENOENT { throw .notFound(path: path) }
                throw .unreadable(path: path, reason: String(cString: strerror(code)))
            }
            descriptor = fd
            ownsDescriptor = true
        }
        prefix = []
        do {
            try fillPrefix()
        } catch {
            if ownsDescriptor { close(descriptor) }
            throw error
        }
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    private func fillPrefix() throws(InputError) {
        prefix.reserveCapacity(Self.prefixLimit)
        var chunk = [UInt8](repeating: 0, count: Self.prefixLimit)
        while prefix.count < Self.prefixLimit {
            let wanted = Self.prefixLimit - prefix.count
            let got = try readRaw(into: &chunk, limit: wanted)
            if got == 0 {
                reachedEnd = true
                break
            }
            prefix.append(contentsOf: chunk[0..<got])
        }
    }

    private func readRaw(into buffer: inout [UInt8], limit: Int) throws(InputError) -> Int {
        while true {
            let got = buffer.withUnsafeMutableBytes { raw in
                read(descriptor, raw.baseAddress, min(limit, raw.count))
            }
            if got >= 0 { return got }
            if errno == EINTR { continue }
            throw .unreadable(path: name, reason: String(cString: strerror(errno)))
        }
    }

    /// Reads the next bytes: the prefix first, then the rest of the input. Returns 0 at the end.
    func nextBytes(into buffer: inout [UInt8]) throws(InputError) -> Int {
        if !prefixConsumed {
            prefixConsumed = true
            if !prefix.isEmpty {
                if buffer.count < prefix.count { buffer = [UInt8](repeating: 0, count: prefix.count) }
                buffer.withUnsafeMutableBufferPointer { dst in
                    _ = prefix.withUnsafeBufferPointer { src in memcpy(dst.baseAddress!, src.baseAddress!, src.count) }
                }
                return prefix.count
            }
        }
        if reachedEnd { return 0 }
        let got = try readRaw(into: &buffer, limit: buffer.count)
        if got == 0 { reachedEnd = true }
        return got
    }

    /// Refuses input that is clearly not a text log, judging by the prefix.
    public func checkIsText() throws(InputError) {
        if prefix.starts(with: [0x1f, 0x8b]) { throw .compressed(path: name, kind: "gzip") }
        if prefix.starts(with: [0x28, 0xb5, 0x2f, 0xfd]) { throw .compressed(path: name, kind: "zstd") }
        if prefix.starts(with: [0x50, 0x4b, 0x03, 0x04]) {
            throw .binary(path: name, detail: "a zip archive; pass a GitHub run's log archive as a file argument (`logdx diagnose logs.zip`), not on standard input or inside a folder")
        }
        let sample = prefix.prefix(8192)
        guard !sample.isEmpty else { return }
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
