import PCRE2

/// Turns a raw terminal line into the text a person saw: ANSI escape sequences removed, `\r`
/// overwrites resolved to the last write, a UTF-8 byte order mark and NUL bytes dropped, and bytes
/// that are not UTF-8 replaced by U+FFFD — so the result is always valid UTF-8, which lets every
/// pattern skip its own validation.
///
/// Writes into a buffer it owns and reuses, so cleaning allocates nothing per line.
public struct LineCleaner {
    public private(set) var buffer: [UInt8] = []

    public init() {
        buffer.reserveCapacity(4096)
    }

    /// Cleans `raw` into `buffer` and returns all of it. Let go of the result before the next call,
    /// so the buffer is reused rather than copied.
    @discardableResult
    public mutating func clean(_ raw: UnsafeBufferPointer<UInt8>) -> ArraySlice<UInt8> {
        buffer.removeAll(keepingCapacity: true)
        var end = raw.count
        while end > 0 && raw[end - 1] == 0x0d { end -= 1 }
        // A progress bar redraws the line after each `\r`; what stays on screen is the last draw.
        var start = 0
        // (memchr, a vector at a time: an eight-byte loop here was a percent of the 10 MB pipeline.)
        if let carriageReturn = Bytes.lastIndex(of: 0x0d, in: UnsafeBufferPointer(rebasing: raw[0..<end])) {
            start = carriageReturn + 1
        }
        if end - start >= 3 && raw[start] == 0xef && raw[start + 1] == 0xbb && raw[start + 2] == 0xbf {
            start += 3
        }
        let line = UnsafeBufferPointer(rebasing: raw[0..<end])
        var i = start
        while i < end {
            // Most bytes are printable ASCII: copy such runs in one go.
            var run = Self.printableASCIIRunEnd(line, from: i, end: end)
            while run < end, line[run] >= 0x20, line[run] < 0x80 { run += 1 }
            if run > i {
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: line[i..<run]))
                i = run
                if i == end { break }
            }
            let byte = line[i]
            if byte == 0x1b {
                i = LineCleaner.skipEscape(line, from: i, end: end)
            } else if byte < 0x80 {
                if byte != 0 { buffer.append(byte) }
                i += 1
            } else if let length = UTF8Validation.sequenceLength(line, at: i) {
                buffer.append(contentsOf: line[i..<(i + length)])
                i += length
            } else {
                buffer.append(contentsOf: LineCleaner.replacementCharacter)
                i += 1
            }
        }
        return buffer[...]
    }

    static let replacementCharacter: [UInt8] = [0xef, 0xbf, 0xbd]

    // The run scan below looks at eight bytes per step (SWAR): cleaning was a tenth of reading a
    // log, nearly all of it walking plain lines byte by byte.
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Where the run of printable ASCII (0x20–0x7f) starting at `from` may end: a multiple of
    /// eight bytes past `from`, at or before the first other byte; the caller finishes byte by byte.
    @inline(__always)
    static func printableASCIIRunEnd(_ line: UnsafeBufferPointer<UInt8>, from: Int, end: Int) -> Int {
        let raw = UnsafeRawBufferPointer(line)
        var run = from
        while run + 8 <= end {
            let word = raw.loadUnaligned(fromByteOffset: run, as: UInt64.self)
            // A byte of 0x80 or more sets its high bit; a byte below 0x20 does after subtracting 0x20.
            if (word | ((word &- ones &* 0x20) & ~word)) & highBits != 0 { break }
            run += 8
        }
        return run
    }

    /// Returns the index just past the escape sequence starting at `from` (which holds ESC).
    static func skipEscape(_ raw: UnsafeBufferPointer<UInt8>, from: Int, end: Int) -> Int {
        var i = from + 1
        guard i < end else { return end }
        switch raw[i] {
        case 0x5b: // CSI: ESC [ parameters intermediates final(0x40–0x7e)
            i += 1
            while i < end && !(0x40...0x7e).contains(raw[i]) { i += 1 }
            return min(i + 1, end)
        case 0x5d: // OSC: ESC ] … terminated by BEL or ESC \
            i += 1
            while i < end {
                if raw[i] == 0x07 { return i + 1 }
                if raw[i] == 0x1b && i + 1 < end && raw[i + 1] == 0x5c { return i + 2 }
                i += 1
            }
            return end
        default: // two-byte sequences such as ESC ( B or ESC =
            if (0x20...0x2f).contains(raw[i]) { return min(i + 2, end) }
            return i + 1
        }
    }
}
