#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits an input into lines without holding more than one chunk and one line in memory.
///
/// A line longer than `maxLineBytes` is cut: its first `maxLineBytes` are delivered with the count
/// of bytes dropped, so a 50 MB minified line cannot exhaust memory or stall the matcher.
///
/// What is cut is what a terminal would not show: a carriage return followed by more text starts
/// the line over (a progress bar redrawn in place), so only the last such state is kept, and only
/// that state is measured against the limit. A progress bar of megabytes followed by `npm ERR!`
/// still delivers the `npm ERR!` line.
public struct LineReader {
    public static let defaultMaxLineBytes = 64 * 1024

    private let source: InputSource
    private let maxLineBytes: Int
    private var chunk: [UInt8]
    private var carry: [UInt8] = []
    /// The last byte given to the carried line was a carriage return.
    private var carryEndsWithReturn = false

    public init(source: InputSource, maxLineBytes: Int = LineReader.defaultMaxLineBytes, chunkSize: Int = 256 * 1024) {
        self.source = source
        self.maxLineBytes = maxLineBytes
        // An input read whole with its prefix (most job logs are a few kilobytes) needs no chunk
        // of its own: the prefix is handed over in one piece. A chunk over malloc's mapping
        // threshold, made and zeroed per log, cost a scan of many small logs more than their lines.
        self.chunk = [UInt8](repeating: 0, count: source.reachedEnd ? 0 : chunkSize)
    }

    /// Calls `body` with each line's 1-based number, its bytes (without the newline) and the number
    /// of bytes cut from its end.
    public mutating func forEachLine(
        _ body: (_ number: Int, _ bytes: UnsafeBufferPointer<UInt8>, _ droppedBytes: Int) throws -> Void
    ) throws {
        var lineNumber = 0
        var dropped = 0
        carry.reserveCapacity(min(maxLineBytes, 4096))
        while true {
            let count = try source.nextBytes(into: &chunk)
            if count == 0 { break }
            try chunk.withUnsafeBufferPointer { buffer in
                var start = 0
                while start < count {
                    let remaining = count - start
                    // SAFETY: `start < count <= buffer.count`, so the searched range lies inside the chunk.
                    let found = memchr(buffer.baseAddress! + start, 0x0a, remaining)
                    if let found {
                        let end = buffer.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
                        lineNumber += 1
                        if carry.isEmpty && dropped == 0 {
                            // Within the limit the cleaner resolves carriage returns itself.
                            let state = end - start > maxLineBytes ? Self.lastState(buffer[start..<end]) ?? start : start
                            let length = min(end - state, maxLineBytes)
                            try body(lineNumber, UnsafeBufferPointer(rebasing: buffer[state..<(state + length)]), end - state - length)
                        } else {
                            append(buffer[start..<end], dropped: &dropped)
                            try carry.withUnsafeBufferPointer { try body(lineNumber, $0, dropped) }
                            carry.removeAll(keepingCapacity: true)
                            carryEndsWithReturn = false
                            dropped = 0
                        }
                        start = end + 1
                    } else {
                        append(buffer[start..<count], dropped: &dropped)
                        start = count
                    }
                }
            }
        }
        if !carry.isEmpty || dropped > 0 {
            lineNumber += 1
            try carry.withUnsafeBufferPointer { try body(lineNumber, $0, dropped) }
            carry.removeAll(keepingCapacity: true)
        }
    }

    private mutating func append(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, dropped: inout Int) {
        guard let first = bytes.first else { return }
        var bytes = bytes
        if let redraw = Self.lastState(bytes) {
            carry.removeAll(keepingCapacity: true)
            dropped = 0
            bytes = bytes[redraw...]
        } else if carryEndsWithReturn && first != Self.carriageReturn {
            // The return ended the previous chunk; this one starts the line over.
            carry.removeAll(keepingCapacity: true)
            dropped = 0
        }
        carryEndsWithReturn = bytes.last == Self.carriageReturn
        let room = maxLineBytes - carry.count
        if room >= bytes.count {
            carry.append(contentsOf: bytes)
        } else {
            if room > 0 { carry.append(contentsOf: bytes.prefix(room)) }
            dropped += bytes.count - max(room, 0)
        }
    }

    package static let carriageReturn: UInt8 = 0x0d

    /// Where the last state of `bytes` starts: the last carriage return that more text follows
    /// (returns that only end the line, as in CRLF, start nothing); `nil` when there is none.
    static func lastState(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Int? {
        var end = bytes.endIndex
        while end > bytes.startIndex && bytes[end - 1] == carriageReturn { end -= 1 }
        var index = end
        while index > bytes.startIndex {
            index -= 1
            if bytes[index] == carriageReturn { return index }
        }
        return nil
    }
}
